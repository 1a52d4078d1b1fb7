# title: Random delays with a seed (gather and jitter)
# description: Five requests each wait a random time, drawn with
# description: random.uniform after random.seed(7), and gather collects their
# description: answers. They finish in the order of their delays, not of their
# description: start, while gather keeps the results in start order. With the
# description: same seed Loopscope draws the same numbers as CPython, so the run
# description: is the same every time and matches CPython's.
import asyncio
import random
import time

async def request(n):
    delay = round(random.uniform(0.1, 2.0), 2)
    print(f"request {n} will take {delay} s")
    await asyncio.sleep(delay)
    print(f"{time.perf_counter():5.2f}  request {n} answered")
    return n * 10 + random.randint(0, 9)

async def main():
    answers = await asyncio.gather(*(request(n) for n in range(1, 6)))
    print("answers:", answers)

random.seed(7)
asyncio.run(main())
print(f"finished after {time.perf_counter():.2f} seconds")
