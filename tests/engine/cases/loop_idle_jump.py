# With nothing ready the loop sleeps at most 86400 s per select(): a far
# timer is reached in steps, and the times the callbacks see are the sums
# of those steps in floating point.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    def show(tag):
        print(tag, repr(loop.time()))
    await asyncio.sleep(0.3)
    loop.call_later(200000.7, show, "far")
    loop.call_later(86400.1, show, "one day")
    loop.call_at(259200.35, show, "three days")
    await asyncio.sleep(300000.123)
    show("main")

asyncio.run(main())
