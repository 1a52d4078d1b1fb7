# Nested timeout(): the outer one fires while the inner one is pending; the
# inner block sees a plain CancelledError, the outer turns it into
# TimeoutError.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(1) as outer:
            try:
                async with asyncio.timeout(5) as inner:
                    await asyncio.sleep(10)
            except asyncio.CancelledError:
                print("inner block cancelled at", loop.time(), "inner expired", inner.expired())
                raise
    except TimeoutError:
        print("outer timed out at", loop.time())
    print("outer", outer.expired(), repr(outer), "inner", inner.expired(), repr(inner))
    print("cancelling", asyncio.current_task().cancelling())

asyncio.run(main())
