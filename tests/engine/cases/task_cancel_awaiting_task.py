# Cancelling a task that awaits another task cancels the awaited task too;
# both end cancelled and the message travels down.
import asyncio

async def inner():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError as e:
        print("inner cancelled", e.args)
        raise
    return "inner done"

async def outer(t):
    try:
        return await t
    except asyncio.CancelledError as e:
        print("outer cancelled", e.args)
        raise

async def main():
    t_in = asyncio.create_task(inner())
    t_out = asyncio.create_task(outer(t_in))
    await asyncio.sleep(1)
    print("cancel:", t_out.cancel("stop"))
    try:
        await t_out
    except asyncio.CancelledError as e:
        print("main saw", repr(e))
    print(t_out.cancelled(), t_in.cancelled(), asyncio.get_running_loop().time())

asyncio.run(main())
