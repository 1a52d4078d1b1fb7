# as_completed(): the coroutines give results in the order the tasks
# finish, not the order they were passed; an exception comes out of the
# await for the task that raised it.
import asyncio

async def work(name, delay):
    await asyncio.sleep(delay)
    if name == "d":
        raise ValueError("d failed")
    return name

async def main():
    loop = asyncio.get_running_loop()
    tasks = [asyncio.create_task(work(n, d), name=n)
             for n, d in (("a", 3), ("b", 1), ("c", 2), ("d", 1.5))]
    for coro in asyncio.as_completed(tasks):
        try:
            r = await coro
            print(r, "at", loop.time())
        except ValueError as e:
            print("ValueError", e, "at", loop.time())

asyncio.run(main())
