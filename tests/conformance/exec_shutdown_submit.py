# exec_shutdown_submit.py - an executor that was shut down (by shutdown()
# or at the end of its with block) refuses new work with RuntimeError;
# shutdown(wait=False) returns at once while the jobs go on; a second
# shutdown does nothing.
# reference: real-time CPython (the oracle's clock is not per thread)
import time
from concurrent.futures import ThreadPoolExecutor

start = time.perf_counter()

def clock():
    return round((time.perf_counter() - start) * 5) / 5

def job(n):
    time.sleep(0.4)
    return n * 10

ex = ThreadPoolExecutor(max_workers=2)
f = ex.submit(job, 1)
ex.shutdown(wait=False)
print("shut down at", clock(), "done:", f.done())
try:
    ex.submit(job, 2)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    ex.map(job, [3, 4])
except RuntimeError as e:
    print("map: RuntimeError:", e)
print("result:", f.result(), "at", clock())
ex.shutdown()
with ThreadPoolExecutor() as pool:
    print(pool.submit(job, 5).result(), "at", clock())
try:
    pool.submit(job, 6)
except RuntimeError as e:
    print("after with: RuntimeError:", e)
