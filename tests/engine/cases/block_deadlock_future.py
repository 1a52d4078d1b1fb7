# Nobody ever resolves the future: once main waits on the waiter task the
# loop has nothing ready, no timer and no thread - a deadlock.
import asyncio

async def waiter(fut):
    print("waiter waits")
    await fut
    print("never printed")

async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    t = asyncio.create_task(waiter(fut), name="waiter")
    await asyncio.sleep(1)
    print("main awaits the waiter at", loop.time())
    await t

asyncio.run(main())
