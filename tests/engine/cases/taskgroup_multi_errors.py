# Two errors: a child fails, and its sibling raises while being cancelled.
# A task created while the group is aborting is refused.
import asyncio

async def crash():
    await asyncio.sleep(1)
    raise ValueError("boom")

async def stubborn():
    try:
        await asyncio.sleep(5)
    except asyncio.CancelledError:
        await asyncio.sleep(0.5)
        raise KeyError("cleanup failed")

async def nothing():
    pass

async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(crash())
            tg.create_task(stubborn())
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                c = nothing()
                try:
                    tg.create_task(c)
                except RuntimeError as e:
                    print("RuntimeError:", e)
                c.close()
                raise
    except ExceptionGroup as eg:
        print("caught at", loop.time(), repr(eg))
        print(str(eg))

asyncio.run(main())
