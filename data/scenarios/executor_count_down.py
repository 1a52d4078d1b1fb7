# title: Count-downs in worker threads (run_in_executor)
# description: The count-downs of count_down_sequential.py keep their
# description: blocking time.sleep, but each one runs in its own worker thread
# description: of a ThreadPoolExecutor with three workers, handed over with
# description: loop.run_in_executor. A sleeping thread holds only itself, so
# description: the three count-downs overlap and the program takes as long as
# description: the slowest one, 3.0 seconds, while gather waits on the loop.
# reference: real-time CPython (the oracle's clock is not per thread; the
# reference: distinct sleep lengths make the order the same on every run)
import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

def count_down(name, delay):
    indents = (ord(name) - ord("A")) * "\t"
    n = 3
    while n:
        time.sleep(delay)
        duration = time.perf_counter() - start
        print(f"{duration:>4.1f}\t{indents}{name} = {n}")
        n -= 1
    return name

async def main():
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(max_workers=3) as pool:
        finished = await asyncio.gather(
            loop.run_in_executor(pool, count_down, "A", 1),
            loop.run_in_executor(pool, count_down, "B", 0.7),
            loop.run_in_executor(pool, count_down, "C", 0.4))
    print(f"{' '.join(finished)} finished")

start = time.perf_counter()
asyncio.run(main())
print(f"finished after {time.perf_counter() - start:.1f} seconds")
