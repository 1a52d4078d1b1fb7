# Three tasks contend for one lock and get it in the order they asked;
# releasing an unlocked lock is a RuntimeError; a task acquiring just
# after release() woke a waiter does not barge in before it.
import asyncio

async def worker(name, lock):
    loop = asyncio.get_running_loop()
    print(name, "wants the lock at", loop.time(), "locked:", lock.locked())
    async with lock:
        print(name, "got the lock at", loop.time())
        await asyncio.sleep(1)
        print(name, "releases at", loop.time())
    return name

async def main():
    lock = asyncio.Lock()
    print(await asyncio.gather(worker("A", lock), worker("B", lock), worker("C", lock)))
    print("locked at end:", lock.locked())
    try:
        lock.release()
    except RuntimeError as e:
        print("RuntimeError:", e)
    loop = asyncio.get_running_loop()
    await lock.acquire()
    d = asyncio.create_task(worker("D", lock))
    await asyncio.sleep(0)
    lock.release()
    print("main re-acquires, locked:", lock.locked())
    await lock.acquire()
    print("main got it back at", loop.time())
    lock.release()
    print(await d)

asyncio.run(main())
