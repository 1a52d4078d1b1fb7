# exec_map.py - executor.map(fn, *iterables) submits every call at once
# and hands back the results in the order of the inputs, each as soon as
# it is there (the loop waits for a slow first one while the others are
# already done); with several iterables it stops at the shortest; a job
# that raises raises from the for loop when its result is reached.
# reference: real-time CPython (the oracle's clock is not per thread)
import time
from concurrent.futures import ThreadPoolExecutor

start = time.perf_counter()

def clock():
    return round((time.perf_counter() - start) * 5) / 5

def slow_square(n, delay):
    time.sleep(delay)
    print(f"  square({n}) done at {clock()}")
    return n * n

def check(delay):
    time.sleep(delay)
    if delay == 0.4:
        raise ValueError(f"bad delay {delay}")
    return delay

with ThreadPoolExecutor(max_workers=3) as ex:
    results = ex.map(slow_square, [1, 2, 3, 4], [0.6, 0.2, 0.4])
    print("submitted at", clock())
    for r in results:
        print("got", r, "at", clock())

with ThreadPoolExecutor(max_workers=3) as ex:
    try:
        for r in ex.map(check, [0.2, 0.4, 0.6]):
            print("checked", r, "at", clock())
    except ValueError as e:
        print("ValueError:", e, "at", clock())
print("end at", clock())
