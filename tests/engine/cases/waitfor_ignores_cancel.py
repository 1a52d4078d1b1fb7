# wait_for() whose inner work swallows the first cancellation and returns a
# value: 3.12 returns that value instead of raising TimeoutError.
import asyncio

async def stubborn():
    loop = asyncio.get_running_loop()
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("swallowed cancel at", loop.time())
    await asyncio.sleep(1)
    return "value"

async def main():
    loop = asyncio.get_running_loop()
    t = asyncio.create_task(stubborn(), name="stubborn")
    r = await asyncio.wait_for(t, 1)
    print("task:", repr(r), "at", loop.time(), "cancelled", t.cancelled(),
          "cancelling", asyncio.current_task().cancelling())
    r = await asyncio.wait_for(stubborn(), 1)
    print("coroutine:", repr(r), "at", loop.time(),
          "cancelling", asyncio.current_task().cancelling())

asyncio.run(main())
