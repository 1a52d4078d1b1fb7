# wait_for() with timeout <= 0: the work is wrapped in a task, cancelled
# before it starts, and TimeoutError is raised; unless it is already done.
import asyncio

async def func():
    print("func started")
    return 1

async def main():
    loop = asyncio.get_running_loop()
    try:
        await asyncio.wait_for(func(), 0)
    except TimeoutError as e:
        print("TimeoutError, cause", repr(e.__cause__), "at", loop.time())
    f = loop.create_future()
    f.set_result(7)
    print("done future", await asyncio.wait_for(f, 0))
    t = asyncio.create_task(func(), name="t")
    await asyncio.sleep(0)
    print("done task", await asyncio.wait_for(t, -0.5))

asyncio.run(main())
