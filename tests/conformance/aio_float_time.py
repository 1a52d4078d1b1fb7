# Virtual time is a float and deadlines are computed as CPython computes
# them: ten sleeps of 0.1 end at 0.9999999999999999, and the task sleeping
# 1.0 in one go wakes in that same iteration (its deadline is within the
# loop's 1e-9 clock resolution), before the clock reaches 1.0.
import asyncio

async def small_steps():
    loop = asyncio.get_running_loop()
    for _ in range(10):
        await asyncio.sleep(0.1)
    print("ten small steps end at", loop.time())

async def one_step():
    loop = asyncio.get_running_loop()
    await asyncio.sleep(1.0)
    print("one step ends at", loop.time())

async def main():
    await asyncio.gather(small_steps(), one_step())
    loop = asyncio.get_running_loop()
    await asyncio.sleep(1e-10)
    print("a sleep shorter than the clock resolution:", loop.time())

asyncio.run(main())
