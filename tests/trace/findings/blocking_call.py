# A task calls time.sleep: the whole loop stops for 1.5 s, the ticker
# misses its beats.  Finding: blocking-call in stall(), 1.5 s at t=0.5.
import asyncio
import time

async def ticker():
    for i in range(4):
        print(f"tick {i} at {asyncio.get_running_loop().time()}")
        await asyncio.sleep(0.5)

async def stall():
    await asyncio.sleep(0.5)
    time.sleep(1.5)

async def main():
    await asyncio.gather(ticker(), stall())

asyncio.run(main())
