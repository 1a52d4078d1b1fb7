# call_at with absolute deadlines, out of order; each callback prints the
# loop's time when it runs.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    def show(tag):
        print(tag, loop.time())
    for when in (3.5, 0.25, 2.0, 1e-3, 2.0 + 1e-6):
        loop.call_at(when, show, when)
    loop.call_later(1.5, show, "later 1.5")
    await asyncio.sleep(4)
    show("main")

asyncio.run(main())
