# time.sleep() in a plain callback blocks the loop too: the callbacks of
# one iteration run back to back and the clock jumps between them.
import asyncio
import time

def blocker(loop, name, secs):
    print(name, "starts at", loop.time())
    time.sleep(secs)
    print(name, "ends at", loop.time())

async def main():
    loop = asyncio.get_running_loop()
    loop.call_soon(blocker, loop, "first", 0.5)
    loop.call_soon(blocker, loop, "second", 0.25)
    loop.call_later(0.5, blocker, loop, "timer", 1)
    await asyncio.sleep(0.5)
    print("main woke at", loop.time())
    await asyncio.sleep(1)
    print("done at", loop.time())

asyncio.run(main())
