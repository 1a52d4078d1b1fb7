# A task that catches CancelledError and returns normally is not cancelled:
# its result is what it returned; cancelling() still counts the request.
import asyncio

async def stubborn():
    try:
        await asyncio.sleep(5)
    except asyncio.CancelledError:
        print("swallowed")
    await asyncio.sleep(1)
    return "survived"

async def main():
    t = asyncio.create_task(stubborn())
    await asyncio.sleep(1)
    t.cancel()
    print("cancelling:", t.cancelling())
    r = await t
    print(r, t.cancelled(), t.cancelling(), asyncio.get_running_loop().time())

asyncio.run(main())
