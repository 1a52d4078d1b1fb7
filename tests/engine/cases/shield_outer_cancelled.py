# shield(): cancelling the task that awaits the shield cancels only the
# outer future; the shielded task keeps running and finishes.
import asyncio

async def inner():
    await asyncio.sleep(2)
    print("inner finished at", asyncio.get_running_loop().time())
    return "inner result"

async def waiter(t):
    try:
        return await asyncio.shield(t)
    except asyncio.CancelledError:
        print("waiter cancelled at", asyncio.get_running_loop().time())
        raise

async def main():
    loop = asyncio.get_running_loop()
    t = asyncio.create_task(inner(), name="inner")
    w = asyncio.create_task(waiter(t), name="waiter")
    await asyncio.sleep(1)
    print("cancel", w.cancel())
    try:
        await w
    except asyncio.CancelledError:
        print("w cancelled", w.cancelled(), "inner done", t.done())
    print(await t, "at", loop.time())
    print("shield of a done task is the task:", asyncio.shield(t) is t)

asyncio.run(main())
