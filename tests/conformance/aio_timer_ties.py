# Timers with equal deadlines do not run FIFO: CPython's heap decides.
# A cancelled handle never runs.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    handles = [loop.call_later(1.0, print, name) for name in "ABCDEFG"]
    handles[3].cancel()
    print("cancelled D:", handles[3].cancelled())
    await asyncio.sleep(1.5)
    loop.call_later(0.1, print, "x")
    loop.call_later(0.1, print, "y")
    loop.call_later(0.1, print, "z")
    await asyncio.sleep(1)

asyncio.run(main())
