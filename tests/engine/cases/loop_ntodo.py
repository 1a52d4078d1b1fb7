# An iteration runs only the callbacks queued when it started: what they
# schedule (call_soon or an expired timer) waits for the next iteration.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    def a():
        print("A")
        loop.call_soon(b)
        loop.call_later(0, print, "T from A")
    def b():
        print("B")
        loop.call_soon(print, "C from B")
    loop.call_soon(a)
    loop.call_soon(print, "D")
    for i in range(4):
        print("main", i)
        await asyncio.sleep(0)

asyncio.run(main())
