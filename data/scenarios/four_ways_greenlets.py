# title: Same job four ways (4/4): greenlets
# description: The three downloads as plain functions again, each in a
# description: greenlet spawned by gevent. After monkey.patch_all() the
# description: blocking time.sleep yields to gevent's hub, which switches to
# description: another greenlet and wakes each one when its timer is due: 3
# description: seconds, like asyncio, without async or await in sight.
# reference: documented semantics
from gevent import monkey
monkey.patch_all()

import gevent
import time


def download(name, seconds):
    print(f"{name}: start at {time.perf_counter():.1f}")
    time.sleep(seconds)
    print(f"{name}: done at {time.perf_counter():.1f}")
    return f"{name} ({seconds} s)"


def main():
    start = time.perf_counter()
    jobs = [gevent.spawn(download, name, seconds) for name, seconds in [("a", 1), ("b", 2), ("c", 3)]]
    gevent.joinall(jobs)
    results = [job.value for job in jobs]
    print(f"{results} in {time.perf_counter() - start:.1f} s")


main()
