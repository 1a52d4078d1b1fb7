# gather() with no arguments: a future already done with [].
import asyncio

async def main():
    g = asyncio.gather()
    print(g.done(), g.result())
    print(await asyncio.gather())
    print(await asyncio.gather(return_exceptions=True))

asyncio.run(main())
