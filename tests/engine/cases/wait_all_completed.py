# wait() with the default ALL_COMPLETED: results, an exception and a
# cancellation all count as done; a task given twice counts once; bad
# arguments raise when the coroutine runs.
import asyncio

async def ok(delay):
    await asyncio.sleep(delay)
    return delay

async def bad(delay):
    await asyncio.sleep(delay)
    raise ValueError("bad")

async def main():
    loop = asyncio.get_running_loop()
    x = asyncio.create_task(ok(1), name="x")
    y = asyncio.create_task(bad(2), name="y")
    z = asyncio.create_task(ok(3), name="z")
    loop.call_later(1.5, z.cancel)
    done, pending = await asyncio.wait([x, y, x, z])
    print(len(done), "done", len(pending), "pending at", loop.time())
    for t in sorted(done, key=lambda t: t.get_name()):
        if t.cancelled():
            print(t.get_name(), "cancelled")
        elif t.exception() is not None:
            print(t.get_name(), "exception", repr(t.exception()))
        else:
            print(t.get_name(), "result", t.result())
    try:
        await asyncio.wait([])
    except ValueError as e:
        print("ValueError:", e)
    c = ok(1)
    try:
        await asyncio.wait([c])
    except TypeError as e:
        print("TypeError:", e)
    c.close()

asyncio.run(main())
