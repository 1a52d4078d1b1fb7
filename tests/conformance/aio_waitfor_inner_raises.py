# wait_for passes through the inner coroutine's own exception and result;
# asyncio.TimeoutError is the built-in TimeoutError in 3.12.
import asyncio

async def explode():
    await asyncio.sleep(0.5)
    raise PermissionError("denied")

async def main():
    try:
        await asyncio.wait_for(explode(), timeout=5)
    except PermissionError as e:
        print("inner exception:", repr(e), asyncio.get_running_loop().time())
    print(asyncio.TimeoutError is TimeoutError)
    print(issubclass(asyncio.CancelledError, BaseException),
          issubclass(asyncio.CancelledError, Exception))

asyncio.run(main())
