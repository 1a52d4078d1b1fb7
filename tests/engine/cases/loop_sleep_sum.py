# Virtual time accumulates in floating point exactly as CPython's does.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    for _ in range(10):
        await asyncio.sleep(0.1)
    print(loop.time())
    await asyncio.sleep(1e-9)
    print(loop.time())
    await asyncio.sleep(1e-10)
    print(loop.time())

asyncio.run(main())
