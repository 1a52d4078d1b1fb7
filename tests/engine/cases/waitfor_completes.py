# wait_for() that completes in time: a coroutine is awaited in the caller's
# own task (3.12: no new task), a task is awaited; the timer is disarmed.
import asyncio

async def slow(x, delay):
    await asyncio.sleep(delay)
    return x * 2

async def main():
    loop = asyncio.get_running_loop()
    r = await asyncio.wait_for(slow(21, 1), timeout=5)
    print("coroutine", r, "at", loop.time())
    t = asyncio.create_task(slow(5, 1), name="t")
    r = await asyncio.wait_for(t, 2)
    print("task", r, "at", loop.time())
    r = await asyncio.wait_for(slow(1, 1), None)
    print("no timeout", r, "at", loop.time())
    await asyncio.sleep(10)
    print("still alive at", loop.time(), "cancelling", asyncio.current_task().cancelling())

asyncio.run(main())
