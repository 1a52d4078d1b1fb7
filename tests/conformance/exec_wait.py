# exec_wait.py - concurrent.futures.wait(fs, timeout, return_when) returns
# DoneAndNotDoneFutures(done, not_done), two sets: FIRST_COMPLETED returns
# at the first that finishes, FIRST_EXCEPTION at the first that raises (or
# when all are done), ALL_COMPLETED when all are; a timeout returns with
# what is done by then; futures already done return at once.  The sets are
# printed sorted by result.
# reference: real-time CPython (the oracle's clock is not per thread)
import time
import concurrent.futures
from concurrent.futures import ThreadPoolExecutor, wait, FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED

start = time.perf_counter()

def clock():
    return round((time.perf_counter() - start) * 5) / 5

def job(delay, fail=False):
    time.sleep(delay)
    if fail:
        raise RuntimeError(f"job {delay} failed")
    return delay

def names(fs):
    return sorted(f"{f.exception()!r}" if f.exception() else str(f.result()) for f in fs)

with ThreadPoolExecutor(max_workers=4) as ex:
    fs = [ex.submit(job, d) for d in (0.8, 0.2, 0.6)]
    result = wait(fs, return_when=FIRST_COMPLETED)
    print(type(result).__name__, len(result), len(result.done), len(result.not_done), "at", clock())
    done, not_done = result
    print("first completed:", names(done), "at", clock())
    done, not_done = wait(fs, timeout=0.2)
    print("timeout:", names(done), len(not_done), "at", clock())
    done, not_done = wait(fs)
    print("all completed:", names(done), len(not_done), "at", clock())
    done, not_done = wait(fs, return_when=FIRST_COMPLETED)
    print("already done:", len(done), len(not_done), "at", clock())

with ThreadPoolExecutor(max_workers=4) as ex:
    fs = [ex.submit(job, 0.6), ex.submit(job, 0.4, True), ex.submit(job, 0.2)]
    done, not_done = wait(fs, return_when=FIRST_EXCEPTION)
    print("first exception:", names(done), len(not_done), "at", clock())
    done, not_done = wait(fs, return_when=concurrent.futures.FIRST_EXCEPTION)
    print("again:", len(done), len(not_done), "at", clock())
    try:
        wait(fs[:1], return_when="SOMETIMES")
    except ValueError as e:
        print("ValueError:", e)
print("end at", clock())
