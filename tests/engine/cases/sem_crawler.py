# A Semaphore(2) limits a crawler of five fetches to two at a time.
import asyncio

async def fetch(name, sem, delay):
    loop = asyncio.get_running_loop()
    print(name, "queued at", loop.time())
    async with sem:
        print(name, "start at", loop.time())
        await asyncio.sleep(delay)
        print(name, "finish at", loop.time())
    return name

async def main():
    sem = asyncio.Semaphore(2)
    delays = [("p1", 3), ("p2", 1), ("p3", 2), ("p4", 1), ("p5", 0.5)]
    res = await asyncio.gather(*(fetch(n, sem, d) for n, d in delays))
    print(res, "locked:", sem.locked())

asyncio.run(main())
