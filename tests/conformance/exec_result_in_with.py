# exec_result_in_with.py - f.result() inside the with block waits for the
# job, not for the block's end; a job that raises re-raises its exception
# in the caller of result(), whose traceback still catches it there.
# reference: real-time CPython (the oracle's clock is not per thread)
import time
from concurrent.futures import ThreadPoolExecutor

start = time.perf_counter()

def clock():
    return round((time.perf_counter() - start) * 5) / 5

def download(name, delay):
    time.sleep(delay)
    if name == "bad":
        raise ConnectionError(f"{name}: connection reset")
    print(f"  {name} downloaded at {clock()}")
    return len(name) * 100

with ThreadPoolExecutor(max_workers=2) as ex:
    first = ex.submit(download, "index", 0.6)
    second = ex.submit(download, "bad", 0.2)
    third = ex.submit(download, "logo", 0.2)
    print("submitted at", clock())
    try:
        second.result()
    except ConnectionError as e:
        print("caught:", e, "at", clock())
    print("first:", first.result(), "at", clock())
    print("third done:", third.done())
print("block ended at", clock())
print("third:", third.result())
