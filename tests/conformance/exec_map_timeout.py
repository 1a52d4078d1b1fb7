# exec_map_timeout.py - map(..., timeout=T): a result not there T seconds
# after the call raises TimeoutError; the iterator then cancels the calls
# not yet started (the one running goes on to its end, the queued one
# never runs).
# reference: real-time CPython (the oracle's clock is not per thread)
import time
from concurrent.futures import ThreadPoolExecutor

start = time.perf_counter()

def clock():
    return round((time.perf_counter() - start) * 5) / 5

def job(n):
    print(f"  job {n} starts at {clock()}")
    time.sleep(0.4)
    print(f"  job {n} ends at {clock()}")
    return n

with ThreadPoolExecutor(max_workers=1) as ex:
    try:
        for r in ex.map(job, [1, 2, 3], timeout=0.6):
            print("result", r, "at", clock())
    except TimeoutError:
        print("TimeoutError at", clock())
print("end at", clock())
