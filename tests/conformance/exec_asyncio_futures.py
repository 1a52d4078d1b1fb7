# exec_asyncio_futures.py - the futures of executor.submit() from asyncio
# code: asyncio.wrap_future(f) is awaited while other tasks run, but
# f.result() called in a coroutine blocks the whole loop until the job is
# done (the ticker falls silent meanwhile), as in CPython.
# reference: real-time CPython (the oracle's clock is not per thread)
import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

start = time.perf_counter()

def clock():
    return round((time.perf_counter() - start) * 5) / 5

def work(name, delay):
    time.sleep(delay)
    return name

async def ticker(n):
    for i in range(n):
        await asyncio.sleep(0.4)
        print("tick", i, "at", clock())

async def main():
    with ThreadPoolExecutor(max_workers=2) as ex:
        t = asyncio.create_task(ticker(3))
        f = ex.submit(work, "awaited", 1.0)
        print("awaited:", await asyncio.wrap_future(f), "at", clock())
        g = ex.submit(work, "blocking", 0.8)
        await asyncio.sleep(0.2)
        print("blocking:", g.result(), "at", clock())
        await t
    print("done at", clock())

asyncio.run(main())
