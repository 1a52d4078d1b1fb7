# A task that finds a slot free while a woken waiter has not run yet does
# not barge in: it queues, and the woken waiter, seeing a slot left, wakes
# it at once.
import asyncio

async def worker(name, sem):
    loop = asyncio.get_running_loop()
    print(name, "acquiring at", loop.time(), "locked:", sem.locked())
    await sem.acquire()
    print(name, "acquired at", loop.time())
    await asyncio.sleep(1)
    sem.release()
    print(name, "released at", loop.time())

async def main():
    loop = asyncio.get_running_loop()
    sem = asyncio.Semaphore(0)
    b = asyncio.create_task(worker("B", sem))
    await asyncio.sleep(0)
    sem.release()
    sem.release()
    print("main acquiring, locked:", sem.locked())
    await sem.acquire()
    print("main acquired at", loop.time())
    sem.release()
    await b
    print("locked:", sem.locked())

asyncio.run(main())
