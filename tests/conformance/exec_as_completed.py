# exec_as_completed.py - concurrent.futures.as_completed(fs) yields a future
# already done first, then the others in the order they finish, each when
# it finishes; nothing is taken from fs before the first next(); a future
# given twice comes once.  With a timeout, the futures still unfinished
# when it is up make it raise TimeoutError("N (of M) futures unfinished").
# reference: real-time CPython (the oracle's clock is not per thread)
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

start = time.perf_counter()

def clock():
    return round((time.perf_counter() - start) * 5) / 5

def fetch(name, delay):
    time.sleep(delay)
    if name == "broken":
        raise KeyError(name)
    return name

with ThreadPoolExecutor(max_workers=4) as ex:
    ready = ex.submit(fetch, "ready", 0)
    ready.result()
    fs = [ex.submit(fetch, "slow", 0.6), ex.submit(fetch, "fast", 0.2),
          ready, ex.submit(fetch, "broken", 0.4)]
    for i, f in enumerate(as_completed(fs + [fs[1]]), 1):
        if f.exception() is not None:
            print(i, "failed:", repr(f.exception()), "at", clock())
        else:
            print(i, f.result(), "at", clock())

with ThreadPoolExecutor(max_workers=3) as ex:
    fs = [ex.submit(fetch, name, delay) for name, delay in (("a", 0.6), ("b", 0.2), ("c", 1.0))]
    it = as_completed(fs, timeout=0.4)
    print("made at", clock())
    time.sleep(0.4)
    try:
        for f in it:
            print("finished", f.result(), "at", clock())
    except TimeoutError as e:
        print("TimeoutError:", e, "at", clock())
print("end at", clock())
