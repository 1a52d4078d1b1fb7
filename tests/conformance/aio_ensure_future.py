# ensure_future wraps a coroutine in a task and returns tasks and futures
# unchanged; a Task is also awaitable twice.
import asyncio

async def value(v):
    await asyncio.sleep(1)
    return v

async def main():
    t = asyncio.ensure_future(value("x"))
    print(t.get_name(), asyncio.ensure_future(t) is t)
    print(await t, await t)
    f = asyncio.get_running_loop().create_future()
    print(asyncio.ensure_future(f) is f)
    f.set_result(None)
    print(await f)

asyncio.run(main())
