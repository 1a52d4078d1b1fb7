# wait_for cancels the inner task when the timeout expires and raises
# TimeoutError; the inner coroutine sees CancelledError.
import asyncio

async def eternity():
    try:
        await asyncio.sleep(3600)
        print("never")
    except asyncio.CancelledError:
        print("eternity cancelled at", asyncio.get_running_loop().time())
        raise

async def main():
    try:
        await asyncio.wait_for(eternity(), timeout=1.0)
    except TimeoutError as e:
        print("timeout!", repr(e), isinstance(e, asyncio.TimeoutError))
    print(await asyncio.wait_for(asyncio.sleep(1, result="in time"), timeout=2))
    print(await asyncio.wait_for(asyncio.sleep(1, result="no limit"), None))
    print("end", asyncio.get_running_loop().time())

asyncio.run(main())
