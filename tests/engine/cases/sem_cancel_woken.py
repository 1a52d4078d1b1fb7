# A semaphore waiter woken by release() but cancelled before it runs
# gives its slot to the next waiter; one cancelled while waiting does not
# count.
import asyncio

async def worker(name, sem):
    loop = asyncio.get_running_loop()
    try:
        async with sem:
            print(name, "in at", loop.time())
            await asyncio.sleep(1)
            print(name, "out at", loop.time())
    except asyncio.CancelledError:
        print(name, "cancelled at", loop.time(), "locked:", sem.locked())
        raise
    return name

async def main():
    loop = asyncio.get_running_loop()
    sem = asyncio.Semaphore(1)
    await sem.acquire()
    tasks = [asyncio.create_task(worker(n, sem)) for n in "BCD"]
    await asyncio.sleep(1)
    tasks[1].cancel()
    await asyncio.sleep(0)
    sem.release()
    tasks[0].cancel()
    print("released at", loop.time(), "locked:", sem.locked())
    results = await asyncio.gather(*tasks, return_exceptions=True)
    print([type(r).__name__ if isinstance(r, BaseException) else r for r in results])
    print("locked:", sem.locked())

asyncio.run(main())
