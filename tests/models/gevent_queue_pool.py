# reference: gevent 22.10.2 under CPython 3.11
# gevent.queue (blocking get/put with timeouts, Empty/Full, iteration,
# JoinableQueue) and gevent.pool (a Pool's size limit, map, Group).
import gevent
from gevent.queue import Queue, JoinableQueue, Empty, Full
from gevent.pool import Pool, Group
from gevent.lock import Semaphore

q = Queue(maxsize=2)
def producer():
    for i in range(5):
        q.put(i)
        print("put", i, q.qsize())
    q.put(StopIteration)
    print("producer done")
def consumer():
    gevent.sleep(0.1)
    while True:
        item = q.get()
        if item is StopIteration:
            break
        print("got", item)
        gevent.sleep(0.05)
gevent.joinall([gevent.spawn(producer), gevent.spawn(consumer)])
print(q.empty(), q.full(), q.qsize())
try:
    q.get(timeout=0.1)
except Empty:
    print("Empty after timeout")
try:
    q.get_nowait()
except Empty:
    print("Empty at once")
small = Queue(1)
small.put("a")
try:
    small.put("b", timeout=0.1)
except Full:
    print("Full after timeout")
for x in Queue(items=[1, 2, StopIteration, 3]):
    print("iter", x)

jq = JoinableQueue()
def worker(n):
    while True:
        item = jq.get()
        gevent.sleep(0.1 * item)
        print("worker", n, "did", item)
        jq.task_done()
for i in range(2):
    gevent.spawn(worker, i)
for item in [4, 1, 2]:
    jq.put(item)
jq.join()
print("all tasks done", jq.unfinished_tasks)

pool = Pool(2)
def fetch(n):
    print("fetch", n, "start", "free", pool.free_count())
    gevent.sleep(0.1 * n)
    print("fetch", n, "end")
    return n * 10
for n in [3, 1, 2]:
    pool.spawn(fetch, n)
    print("spawned", n, len(pool), pool.full())
pool.join()
print("pool empty", len(pool))
print(Pool(2).map(fetch, [2, 1, 3]))

group = Group()
group.spawn(fetch, 1)
group.spawn(fetch, 2)
group.join()
print("group done", len(group))

sem = Semaphore(1)
def locked(n):
    sem.acquire()
    print("in", n)
    gevent.sleep(0.1)
    print("out", n)
    sem.release()
gevent.joinall([gevent.spawn(locked, i) for i in range(3)])
