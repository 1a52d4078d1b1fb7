# call_soon runs callbacks in FIFO order on the next iteration; call_later
# and call_at run at their deadline; functools.partial passes keywords.
import asyncio
from functools import partial

def report(tag, *, loop):
    print(tag, "at", loop.time())

async def main():
    loop = asyncio.get_running_loop()
    loop.call_later(2, partial(report, "later-2", loop=loop))
    loop.call_later(1, partial(report, "later-1", loop=loop))
    loop.call_at(loop.time() + 1.5, partial(report, "at-1.5", loop=loop))
    for i in range(3):
        loop.call_soon(print, "soon", i)
    loop.call_soon(partial(print, "partial", "args", sep="+"))
    print("scheduled")
    await asyncio.sleep(0)
    print("after one iteration")
    await asyncio.sleep(3)

asyncio.run(main())
