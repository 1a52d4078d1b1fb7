# Task and Future state: done, cancelled, result, exception, and the
# InvalidStateError from reading a result too early or setting it twice.
import asyncio

async def slow():
    await asyncio.sleep(1)
    return "value"

async def bad():
    raise ZeroDivisionError("nope")

async def main():
    t = asyncio.create_task(slow())
    print(t.done(), t.cancelled())
    try:
        t.result()
    except asyncio.InvalidStateError as e:
        # the message differs between CPython's C and Python tasks
        print("InvalidStateError raised:", type(e).__name__)
    await t
    print(t.done(), t.result(), t.exception())
    b = asyncio.create_task(bad())
    await asyncio.sleep(0)
    print(b.done(), repr(b.exception()))
    try:
        b.result()
    except ZeroDivisionError as e:
        print("result() re-raises:", e)
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    print(f, f.done())
    loop.call_later(1, f.set_result, 42)
    print(await f, f)
    try:
        f.set_result(1)
    except asyncio.InvalidStateError as e:
        print("InvalidStateError:", e)
    g = loop.create_future()
    g.set_exception(ValueError("in future"))
    print(g)
    try:
        await g
    except ValueError as e:
        print("awaited future raised", e)
    h = loop.create_future()
    h.cancel()
    print(h, h.cancelled())

asyncio.run(main())
