# title: gevent: monkey.patch_all() makes time.sleep cooperative
# description: Three workers call the blocking time.sleep. After
# description: monkey.patch_all() that call is gevent.sleep: the greenlet
# description: waits on the hub's timer and the others run meanwhile, so the
# description: three sleeps of 2, 1 and 3 seconds overlap and the whole run
# description: takes 3 seconds, not 6. Without the patch they would block in turn.
# reference: documented semantics
from gevent import monkey
monkey.patch_all()

import gevent
import time


def worker(name, seconds):
    print(f"{name}: sleeping {seconds} s at {time.perf_counter():.1f}")
    time.sleep(seconds)
    print(f"{name}: awake at {time.perf_counter():.1f}")
    return name


start = time.perf_counter()
workers = [gevent.spawn(worker, "A", 2), gevent.spawn(worker, "B", 1), gevent.spawn(worker, "C", 3)]
done = gevent.joinall(workers)
print(f"finished in order: {[g.value for g in done]}")
print(f"total: {time.perf_counter() - start:.1f} s")
