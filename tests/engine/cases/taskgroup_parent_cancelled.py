# The task running a TaskGroup is cancelled while it waits in __aexit__
# for its children: they are cancelled and CancelledError propagates.
import asyncio

async def child(name, delay):
    try:
        await asyncio.sleep(delay)
        print(name, "finished")
    except asyncio.CancelledError:
        print(name, "cancelled at", asyncio.get_running_loop().time())
        raise

async def runner():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child("c1", 5))
            print("body done")
    except asyncio.CancelledError:
        print("runner sees CancelledError, cancelling:", asyncio.current_task().cancelling())
        raise

async def main():
    loop = asyncio.get_running_loop()
    t = asyncio.create_task(runner())
    await asyncio.sleep(1)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("runner cancelled:", t.cancelled(), "at", loop.time())

asyncio.run(main())
