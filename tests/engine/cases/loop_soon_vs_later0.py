# call_later(0) and call_at(now) go through the timer heap: they run after
# the call_soon callbacks already queued, in the next iteration's batch.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    loop.call_later(0, print, "later 0")
    loop.call_soon(print, "soon 1")
    loop.call_at(loop.time(), print, "at now")
    loop.call_soon(print, "soon 2")
    loop.call_later(-1, print, "later -1")
    await asyncio.sleep(0)
    print("main after sleep(0)")
    await asyncio.sleep(0)
    print("main after second sleep(0)")

asyncio.run(main())
