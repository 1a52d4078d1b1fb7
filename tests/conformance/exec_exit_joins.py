# exec_exit_joins.py - a script that submits jobs and never shuts its
# executor down: the jobs still run to their end after the last line, as
# CPython joins the worker threads when the program exits.
# reference: real-time CPython (the oracle's clock is not per thread)
import time
from concurrent.futures import ThreadPoolExecutor

start = time.perf_counter()

def clock():
    return round((time.perf_counter() - start) * 5) / 5

def job(name, delay):
    time.sleep(delay)
    print(f"{name} done at {clock()}")

ex = ThreadPoolExecutor(max_workers=1)
for name, delay in (("first", 0.4), ("second", 0.2)):
    ex.submit(job, name, delay)
time.sleep(0.2)
print("last line at", clock())
