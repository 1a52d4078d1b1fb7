# Two tasks each hold one lock and want the other's: a classic deadlock,
# reported once nothing can run (exit status 3).
import asyncio

async def grab(first, second, name):
    async with first:
        print(name, "holds one lock")
        await asyncio.sleep(1)
        async with second:
            print("never", name)

async def main():
    a, b = asyncio.Lock(), asyncio.Lock()
    await asyncio.gather(grab(a, b, "left"), grab(b, a, "right"))

asyncio.run(main())
