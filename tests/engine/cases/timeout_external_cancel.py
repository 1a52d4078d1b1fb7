# A timeout that fires in the same iteration as a cancel() from outside:
# the outside request wins, so the task sees CancelledError, not
# TimeoutError (uncancel() > the count at entry).
import asyncio

async def worker():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(1) as cm:
            await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("worker got CancelledError at", loop.time(), "expired", cm.expired(),
              "cancelling", asyncio.current_task().cancelling())
        raise
    except TimeoutError:
        print("worker got TimeoutError")

async def main():
    loop = asyncio.get_running_loop()
    w = asyncio.create_task(worker(), name="worker")
    loop.call_later(1, w.cancel)
    try:
        await w
    except asyncio.CancelledError:
        print("worker cancelled", w.cancelled(), "at", loop.time())

asyncio.run(main())
