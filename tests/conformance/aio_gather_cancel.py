# Cancelling a gather cancels its children; return_exceptions=True turns a
# cancelled child into a CancelledError in the results.
import asyncio

async def sleeper(n):
    try:
        await asyncio.sleep(n)
        return n
    except asyncio.CancelledError:
        print("sleeper", n, "cancelled")
        raise

async def main():
    g = asyncio.gather(sleeper(1), sleeper(5))
    await asyncio.sleep(2)
    g.cancel()
    try:
        await g
    except asyncio.CancelledError:
        print("gather cancelled:", g.cancelled())
    t = asyncio.create_task(sleeper(10))
    g2 = asyncio.gather(t, sleeper(1), return_exceptions=True)
    await asyncio.sleep(0)
    t.cancel()
    print([type(r).__name__ for r in await g2])

asyncio.run(main())
