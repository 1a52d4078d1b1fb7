# A failing child cancels its siblings and the TaskGroup raises an
# ExceptionGroup holding the child's exception.  (Only one sibling is left
# to cancel: TaskGroup keeps its tasks in a set, so the order in which it
# cancels several is address-dependent in CPython.)
import asyncio

async def worker(n):
    try:
        await asyncio.sleep(n)
        print("worker", n, "done")
        return n
    except asyncio.CancelledError:
        print("worker", n, "cancelled at", asyncio.get_running_loop().time())
        raise

async def broken():
    await asyncio.sleep(1.5)
    raise ValueError("broken child")

async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(worker(1))
            tg.create_task(broken())
            tg.create_task(worker(5))
    except ExceptionGroup as eg:
        print("caught:", eg)
        print(repr(eg))
        print(eg.exceptions, eg.message)
        print([type(e).__name__ for e in eg.exceptions])

asyncio.run(main())
