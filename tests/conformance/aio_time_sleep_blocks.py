# time.sleep inside a coroutine blocks the whole loop: the other task
# cannot run, and the timers it delays fire late.
import asyncio
import time

async def ticker():
    for i in range(4):
        print("tick", i, "at", asyncio.get_running_loop().time())
        await asyncio.sleep(0.5)

async def blocker():
    await asyncio.sleep(0.2)
    print("blocking for 2s at", asyncio.get_running_loop().time())
    time.sleep(2)
    print("unblocked at", asyncio.get_running_loop().time())

async def main():
    start = time.perf_counter()
    await asyncio.gather(ticker(), blocker())
    print(f"took {time.perf_counter() - start:.1f}s")

asyncio.run(main())
