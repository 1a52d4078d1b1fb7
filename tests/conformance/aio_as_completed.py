# as_completed yields awaitables in completion order.  The awaitables are
# tasks: given bare coroutines, as_completed wraps them in tasks in set
# order, which in CPython depends on memory addresses.
import asyncio

async def fetch(name, delay):
    await asyncio.sleep(delay)
    return f"{name} after {delay}s"

async def main():
    tasks = [asyncio.create_task(fetch(n, d))
             for n, d in [("a", 3), ("b", 1), ("c", 2), ("d", 1)]]
    for i, fut in enumerate(asyncio.as_completed(tasks), 1):
        result = await fut
        print(i, result, asyncio.get_running_loop().time())

asyncio.run(main())
