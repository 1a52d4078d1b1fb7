# Equal deadlines are not FIFO: heapq order decides (prints A C B D E).
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    for x in "ABCDE":
        loop.call_later(1.0, print, x)
    await asyncio.sleep(2)
    print("done at", loop.time())

asyncio.run(main())
