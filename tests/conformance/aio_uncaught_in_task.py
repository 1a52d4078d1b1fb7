# An exception in an awaited child task propagates to main and out of
# asyncio.run: exit status 1.
import asyncio

async def child():
    await asyncio.sleep(1)
    raise LookupError("child failed")

async def main():
    t = asyncio.create_task(child())
    print("waiting for child")
    await t

asyncio.run(main())
