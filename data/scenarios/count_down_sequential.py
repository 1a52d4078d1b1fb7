# title: Count-downs that block each other (time.sleep)
# description: Three count-downs A, B and C are started together, but each one
# description: pauses with time.sleep instead of await asyncio.sleep. time.sleep
# description: holds the whole event loop, so no other task can run: the
# description: count-downs finish one after another and the program takes the
# description: sum of all the pauses. Compare with count_down_concurrent.py.
import asyncio
import time

async def count_down(name, delay):
    indents = (ord(name) - ord("A")) * "\t"
    n = 3
    while n:
        time.sleep(delay)
        duration = time.perf_counter() - start
        print(f"{duration:>4.1f}\t{indents}{name} = {n}")
        n -= 1

async def main():
    await asyncio.gather(count_down("A", 1), count_down("B", 0.8),
                         count_down("C", 0.5))

start = time.perf_counter()
asyncio.run(main())
print(f"finished after {time.perf_counter() - start:.1f} seconds")
