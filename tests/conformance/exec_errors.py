# Errors around executors: an exception raised in a worker reaches the
# awaiting task, submit after shutdown raises at once, max_workers must be
# positive.  No worker sleeps, so the output is the same on every run.
import asyncio
from concurrent.futures import ThreadPoolExecutor

def fail(msg):
    raise KeyError(msg)

async def main():
    loop = asyncio.get_running_loop()
    pool = ThreadPoolExecutor(max_workers=2)
    try:
        await loop.run_in_executor(pool, fail, "missing")
    except KeyError as e:
        print("KeyError from the worker:", e)
    try:
        await asyncio.to_thread(fail, "again")
    except KeyError as e:
        print("KeyError from to_thread:", e)
    pool.shutdown(wait=True)
    try:
        pool.submit(fail, "late")
    except RuntimeError as e:
        print("RuntimeError:", e)
    try:
        loop.run_in_executor(pool, fail, "late")
    except RuntimeError as e:
        print("RuntimeError:", e)
    try:
        ThreadPoolExecutor(max_workers=0)
    except ValueError as e:
        print("ValueError:", e)

asyncio.run(main())
