# Task-N numbering: loop.create_task(coro, name=...) does not take a number,
# asyncio.create_task(coro, name=...) does (3.12 names the task after
# creating it); set_name renames.
import asyncio

async def noop():
    await asyncio.sleep(0)

async def main():
    loop = asyncio.get_running_loop()
    a = loop.create_task(noop())
    b = loop.create_task(noop(), name="worker")
    c = loop.create_task(noop())
    print(a.get_name(), b.get_name(), c.get_name())
    c.set_name("renamed")
    print(c.get_name())
    await asyncio.gather(a, b, c)
    d = asyncio.create_task(noop(), name="named")
    e = asyncio.create_task(noop())
    print(d.get_name(), e.get_name())
    await d
    await e

asyncio.run(main())
