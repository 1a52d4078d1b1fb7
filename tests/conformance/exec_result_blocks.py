# exec_result_blocks.py - a plain script with no `with` block: f.result()
# on a job still running blocks the main program until the job is done
# (its clock moves to the job's end), result(timeout) that expires raises
# TimeoutError when the timeout is up, exception() waits too, and a
# time.sleep in the main program lets the workers run meanwhile.
# reference: real-time CPython (the oracle's clock is not per thread)
import time
import concurrent.futures
from concurrent.futures import ThreadPoolExecutor

start = time.perf_counter()

def clock():
    # in steps of 0.2 s, which real threads keep to well enough
    return round((time.perf_counter() - start) * 5) / 5

def work(name, delay):
    time.sleep(delay)
    print(f"{name} finished at {clock()}")
    return name.upper()

def fail(delay):
    time.sleep(delay)
    raise ValueError(f"failed after {delay}")

print(concurrent.futures.TimeoutError is TimeoutError)
ex = ThreadPoolExecutor(max_workers=3)
a = ex.submit(work, "a", 0.4)
b = ex.submit(work, "b", 1.0)
c = ex.submit(fail, 0.6)
print("result:", a.result(), "at", clock())
print("a done:", a.done(), "running:", a.running(), "b running:", b.running())
try:
    b.result(timeout=0.4)
except TimeoutError as e:
    print("TimeoutError", repr(e), "at", clock())
print("b done:", b.done())
exc = c.exception()
print("exception:", type(exc).__name__, exc, "at", clock())
time.sleep(0.4)
print("main slept until", clock())
print("result:", b.result(timeout=5), "at", clock())
print("done:", b.done(), c.done(), "running:", b.running())
ex.shutdown()
print("end at", clock())
