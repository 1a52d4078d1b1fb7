# A task that catches CancelledError and returns normally is not
# cancelled; cancel before the first step means the body never runs.
import asyncio

async def stubborn():
    try:
        await asyncio.sleep(5)
    except asyncio.CancelledError:
        print("ignoring the cancellation")
    await asyncio.sleep(1)
    return "finished anyway"

async def never_runs():
    print("this is never printed")

async def main():
    t = asyncio.create_task(stubborn())
    await asyncio.sleep(1)
    t.cancel()
    print(await t, t.cancelled(), asyncio.get_running_loop().time())
    n = asyncio.create_task(never_runs())
    n.cancel()
    try:
        await n
    except asyncio.CancelledError:
        print("cancelled before it started:", n.cancelled())

asyncio.run(main())
