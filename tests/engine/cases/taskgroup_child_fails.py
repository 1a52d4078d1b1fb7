# One child fails: its pending sibling is cancelled, the parent's body is
# cancelled, the errors come out as an ExceptionGroup, and the parent is
# uncancelled so that it goes on normally afterwards.
import asyncio

async def sleeper(name, delay):
    try:
        await asyncio.sleep(delay)
        print(name, "finished at", asyncio.get_running_loop().time())
        return name
    except asyncio.CancelledError:
        print(name, "cancelled at", asyncio.get_running_loop().time())
        raise

async def crash(delay):
    await asyncio.sleep(delay)
    raise ValueError("boom")

async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.TaskGroup() as tg:
            s1 = tg.create_task(sleeper("s1", 5))
            tg.create_task(crash(1))
            s2 = tg.create_task(sleeper("s2", 0.5))
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                print("body cancelled at", loop.time())
                raise
    except ExceptionGroup as eg:
        print("caught", repr(eg))
        print("message:", str(eg))
        print("subs:", eg.exceptions)
    print("s1 cancelled:", s1.cancelled(), "s2:", s2.result())
    print("cancelling:", asyncio.current_task().cancelling())
    await asyncio.sleep(1)
    print("end at", loop.time())

asyncio.run(main())
