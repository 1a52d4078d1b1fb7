# exec_with_block.py - the plain-script ThreadPoolExecutor pattern: submit in a
# with block, collect the results after it; the workers sleep side by side.
# reference: real-time CPython (the oracle's clock is not per thread)
import time
from concurrent.futures import ThreadPoolExecutor

def work(name, n):
    time.sleep(n)
    return f"{name} slept {n}"

start = time.perf_counter()
with ThreadPoolExecutor(max_workers=3) as ex:
    futures = [ex.submit(work, c, n) for c, n in (("a", 1), ("b", 2), ("c", 3))]
for f in futures:
    print(f.result())
print(f"took {time.perf_counter() - start:.1f}")
