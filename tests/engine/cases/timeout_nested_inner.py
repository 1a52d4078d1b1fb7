# Nested timeout(): the inner one fires and becomes TimeoutError inside
# the outer block; the outer one does not fire.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    async with asyncio.timeout(5) as outer:
        try:
            async with asyncio.timeout(1) as inner:
                await asyncio.sleep(10)
        except TimeoutError as e:
            print("inner timed out at", loop.time(), "cause", repr(e.__cause__))
            print("inner expired", inner.expired(), "outer expired", outer.expired())
        print(repr(outer))
        await asyncio.sleep(1)
        print("outer body finished at", loop.time())
    print("outer expired", outer.expired(), repr(outer), repr(inner))
    print("cancelling", asyncio.current_task().cancelling())

asyncio.run(main())
