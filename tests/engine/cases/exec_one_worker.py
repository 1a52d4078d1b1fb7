# max_workers=1 serialises the jobs: each count-down starts when the one
# before it has finished, on the pool's single thread, and the gather ends
# at 9 seconds.  (Deterministic under the oracle: only one thread runs at
# a time and the loop does nothing but wait for it.)
import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

def count_down(name, n):
    for i in range(n, 0, -1):
        print(name, i, "at", time.monotonic())
        time.sleep(1)
    return name

async def main():
    loop = asyncio.get_running_loop()
    pool = ThreadPoolExecutor(max_workers=1)
    results = await asyncio.gather(*(loop.run_in_executor(pool, count_down, c, 3)
                                     for c in "ABC"))
    print(results, "finished at", loop.time())
    pool.shutdown(wait=True)

asyncio.run(main())
