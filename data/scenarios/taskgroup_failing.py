# title: A TaskGroup with a failing child
# description: Three downloads run in a TaskGroup. One of them fails after a
# description: second; the group cancels the other one still running, waits
# description: for the cancellation to finish, and raises an ExceptionGroup that
# description: holds the failure. The download that had already succeeded keeps
# description: its result.
import asyncio

async def download(name, seconds, fail=False):
    loop = asyncio.get_running_loop()
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError:
        print(f"t={loop.time()}: {name} cancelled")
        raise
    if fail:
        raise ConnectionError(f"{name}: connection reset")
    print(f"t={loop.time()}: {name} downloaded")
    return name

async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            small = tg.create_task(download("small.txt", 0.5))
            tg.create_task(download("broken.bin", 1, fail=True))
            tg.create_task(download("huge.iso", 10))
    except ExceptionGroup as eg:
        print(f"caught: {eg!r}")
        for exc in eg.exceptions:
            print(f"  {type(exc).__name__}: {exc}")
    print(f"small.txt result: {small.result()}")

asyncio.run(main())
