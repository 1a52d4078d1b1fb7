# Awaiting a task that raised re-raises its exception in the awaiter;
# exception() returns it.
import asyncio

async def failing():
    await asyncio.sleep(1)
    raise ValueError("failed", 3)

async def main():
    t = asyncio.create_task(failing())
    try:
        await t
    except ValueError as e:
        print("caught", repr(e), e.args)
    print(t.done(), t.cancelled(), repr(t.exception()))
    try:
        t.result()
    except ValueError as e:
        print("result raised", repr(e))

asyncio.run(main())
