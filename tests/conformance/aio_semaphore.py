# asyncio.Semaphore limits how many tasks run a section at once;
# BoundedSemaphore refuses an extra release.
import asyncio

async def limited(sem, n):
    async with sem:
        print("start", n, "at", asyncio.get_running_loop().time())
        await asyncio.sleep(1)
    print("end", n)

async def main():
    sem = asyncio.Semaphore(2)
    await asyncio.gather(*(limited(sem, i) for i in range(5)))
    print("locked:", sem.locked())
    b = asyncio.BoundedSemaphore(1)
    await b.acquire()
    print("bounded locked:", b.locked())
    b.release()
    try:
        b.release()
    except ValueError as e:
        print("ValueError:", e)

asyncio.run(main())
