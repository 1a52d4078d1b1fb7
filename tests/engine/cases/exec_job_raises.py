# A job that raises: the exception travels through the concurrent future
# to the asyncio future and is raised in the awaiting task.  The second
# job reuses the default executor's idle thread; asyncio.run then shuts
# that executor down (two steps of its shutdown task).  (Deterministic
# under the oracle: one thread, and the loop only waits for it.)
import asyncio
import time

def failing(n):
    print("failing job sleeps", n, "at", time.monotonic())
    time.sleep(n)
    raise ValueError(f"bad job {n}")

def working(n):
    time.sleep(n)
    return n * 10

async def main():
    loop = asyncio.get_running_loop()
    try:
        await loop.run_in_executor(None, failing, 2)
    except ValueError as e:
        print("caught", repr(e), "at", loop.time())
    print("result", await loop.run_in_executor(None, working, 1.5), "at", loop.time())

asyncio.run(main())
