# cancelling() counts cancel() calls on a pending task; uncancel() counts
# down, never below zero; cancel() of a done task returns False.
import asyncio

async def catcher():
    for i in range(3):
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            t = asyncio.current_task()
            print("caught", i, "cancelling", t.cancelling(), "uncancel ->", t.uncancel())
    return "end"

async def main():
    t = asyncio.create_task(catcher())
    await asyncio.sleep(0)
    print(t.cancel(), t.cancel(), t.cancelling())
    await asyncio.sleep(0.5)
    print("cancelling now", t.cancelling())
    t.cancel()
    print("cancelling now", t.cancelling())
    print(await t, t.cancelling(), t.uncancel(), t.uncancel())
    print(t.cancel(), t.cancelling())

asyncio.run(main())
