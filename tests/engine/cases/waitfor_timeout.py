# wait_for() around a one-hour sleep: the inner work is cancelled and the
# caller gets TimeoutError chained from the CancelledError.
import asyncio

async def forever():
    try:
        await asyncio.sleep(3600)
    except asyncio.CancelledError:
        print("inner cancelled at", asyncio.get_running_loop().time())
        raise

async def main():
    loop = asyncio.get_running_loop()
    try:
        await asyncio.wait_for(forever(), 1.5)
    except TimeoutError as e:
        print("TimeoutError", repr(e), "cause", repr(e.__cause__), "at", loop.time())
    t = asyncio.create_task(forever(), name="hour")
    try:
        await asyncio.wait_for(t, 2)
    except TimeoutError:
        print("timeout; task cancelled", t.cancelled(), "at", loop.time())
    print("cancelling", asyncio.current_task().cancelling())

asyncio.run(main())
