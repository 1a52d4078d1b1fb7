# Task names Task-N as CPython numbers them, name=, set_name, and reprs
# of pending and finished tasks.
import asyncio

async def work(n):
    await asyncio.sleep(n)
    return n

async def boom():
    raise KeyError("k")

async def main():
    print(asyncio.current_task().get_name())
    a = asyncio.create_task(work(1))
    b = asyncio.create_task(work(2), name="fetcher")
    c = asyncio.create_task(work(3))
    print(a.get_name(), b.get_name(), c.get_name())
    print(a)
    c.set_name("renamed")
    print(c)
    await asyncio.gather(a, b, c)
    print(a)
    print(b)
    d = asyncio.create_task(boom())
    try:
        await d
    except KeyError:
        pass
    print(d)
    e = asyncio.create_task(work(5))
    await asyncio.sleep(0)
    e.cancel()
    try:
        await e
    except asyncio.CancelledError:
        pass
    print(e)

asyncio.run(main())
