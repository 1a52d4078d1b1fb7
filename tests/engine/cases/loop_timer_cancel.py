# TimerHandle.cancel(): the callback never runs; the loop does not wait for
# a cancelled timer at the head of the heap.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    h1 = loop.call_later(1, print, "one")
    h2 = loop.call_later(2, print, "two")
    h3 = loop.call_later(3, print, "three")
    h4 = loop.call_soon(print, "soon")
    h2.cancel()
    h4.cancel()
    print(h1.cancelled(), h2.cancelled(), h4.cancelled(), h2.when())
    h2.cancel()
    await asyncio.sleep(2.5)
    print("at", loop.time())
    h3.cancel()
    h1.cancel()
    await asyncio.sleep(1)
    print("at", loop.time())

asyncio.run(main())
