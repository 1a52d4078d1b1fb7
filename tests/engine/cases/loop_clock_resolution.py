# Timers closer than the clock resolution (1e-9) to the current time fire
# in the same iteration; what they schedule runs after all of them.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    def tick(tag):
        print(tag, loop.time())
        loop.call_soon(print, "soon from", tag)
    loop.call_at(1.0, tick, "A")
    loop.call_at(1.0 + 1e-10, tick, "B")
    loop.call_at(1.0 + 5e-10, tick, "C")
    loop.call_at(1.0 + 2e-9, tick, "D")
    loop.call_at(1.0 + 1e-6, tick, "E")
    await asyncio.sleep(2)

asyncio.run(main())
