# as_completed(timeout=...): after the deadline every remaining await raises
# TimeoutError; the tasks themselves go on until cancelled.
import asyncio

async def work(name, delay):
    await asyncio.sleep(delay)
    return name

async def main():
    loop = asyncio.get_running_loop()
    tasks = [asyncio.create_task(work(n, d), name=n)
             for n, d in (("a", 1), ("b", 5), ("c", 6))]
    for coro in asyncio.as_completed(tasks, timeout=2):
        try:
            print(await coro, "at", loop.time())
        except TimeoutError as e:
            print("TimeoutError", repr(e), "at", loop.time())
    print([(t.get_name(), t.done()) for t in tasks])
    for t in tasks:
        t.cancel()
    await asyncio.wait(tasks)
    print([(t.get_name(), t.cancelled()) for t in tasks], "at", loop.time())

asyncio.run(main())
