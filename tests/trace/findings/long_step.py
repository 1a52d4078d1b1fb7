# One step prints 400 lines without awaiting, while three pollers take
# tiny steps.  Finding: long-step in hog().
import asyncio

async def poller(name):
    for i in range(20):
        await asyncio.sleep(0.01)

async def hog():
    await asyncio.sleep(0.05)
    for i in range(400):
        print(f"line {i}")

async def main():
    await asyncio.gather(poller("a"), poller("b"), poller("c"), hog())

asyncio.run(main())
