# reference: gevent 22.10.2 under CPython 3.11
# The waits tutorials write inside greenlets: `for item in queue` on a
# queue that is empty for a while (StopIteration ends it), iterating
# gevent.iwait(), and `with semaphore:` that must wait for its turn.
import gevent
from gevent.queue import Queue
from gevent.lock import Semaphore, BoundedSemaphore

tasks = Queue()

def worker(name):
    for job in tasks:
        print(name, "got", job)
        gevent.sleep(0.1)
    print(name, "sees the end")

def boss():
    for n in range(1, 6):
        tasks.put(n)
        gevent.sleep(0.05)
    tasks.put(StopIteration)
    tasks.put(StopIteration)

gevent.joinall([gevent.spawn(boss), gevent.spawn(worker, "w1"), gevent.spawn(worker, "w2")])

def nap(n):
    gevent.sleep(n * 0.1)
    return n

def collector():
    gs = [gevent.spawn(nap, n) for n in (3, 1, 2)]
    for g in gevent.iwait(gs):
        print("ready", g.value)
    for g in gevent.iwait([gevent.spawn(nap, 5)], timeout=0.1):
        print("never ready in time")
    print("collector done")

gevent.spawn(collector).join()

sem = BoundedSemaphore(2)

def limited(n):
    with sem:
        print("in", n, sem.counter)
        gevent.sleep(0.1 + 0.05 * n)
    print("out", n)

gevent.joinall([gevent.spawn(limited, n) for n in range(4)])
print("counter", sem.counter)

lock = Semaphore()
shared = []

def append(n):
    with lock:
        value = len(shared)
        gevent.sleep(0.05)
        shared.append(value + n)

gevent.joinall([gevent.spawn(append, n) for n in (10, 20, 30)])
print(shared)

def nested():
    q = Queue()
    gevent.spawn_later(0.05, q.put, "late")
    gevent.spawn_later(0.1, q.put, StopIteration)
    with lock:
        got = [x for x in ["a"]]
        for x in q:
            got.append(x)
    return got

print(gevent.spawn(nested).get())
