# gather() with the same coroutine or task several times runs it once and
# repeats its result.
import asyncio

async def once(x):
    print("once runs", x)
    await asyncio.sleep(1)
    return x

async def main():
    c = once(42)
    print(await asyncio.gather(c, c))
    t = asyncio.create_task(once(7), name="t")
    print(await asyncio.gather(t, t, t))

asyncio.run(main())
