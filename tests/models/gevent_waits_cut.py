# reference: gevent 22.10.2 under CPython 3.11
# Waits cut short: iwait left early or timed out, greenlets killed while
# they wait on an AsyncResult or a full queue, a semaphore holder that
# raises, joinall(raise_error=True), a Timeout cancelled twice, and a
# greenlet still waiting when the program ends.
import gevent
from gevent.queue import Queue, Empty, Full, JoinableQueue
from gevent.pool import Pool, Group
from gevent.event import AsyncResult, Event
from gevent.lock import Semaphore

# iwait with a timeout, left early
gs = [gevent.spawn(gevent.sleep, d) for d in (0.1, 0.3)]
for g in gevent.iwait(gs, timeout=0.2):
    print("iwait got one", g is gs[0])
    break
for g in gevent.iwait(gs, timeout=0.05):
    print("already done:", g is gs[0])
gevent.joinall(gs)
# kill a greenlet blocked on AsyncResult with a timeout, and one on Event
r = AsyncResult()
e = Event()
def on_result():
    try:
        r.get(timeout=1)
    except gevent.GreenletExit:
        print("result waiter killed")
        raise
def on_event():
    print("event wait", e.wait(timeout=0.1))
a = gevent.spawn(on_result)
b = gevent.spawn(on_event)
gevent.sleep(0.05)
a.kill(block=True, timeout=0.5)
b.join()
print(a.dead, b.dead)
# put on a full queue, killed; put with timeout
q = Queue(1)
q.put(0)
def putter():
    try:
        q.put(1, timeout=0.1)
    except Full:
        print("Full")
p = gevent.spawn(putter)
p2 = gevent.spawn(q.put, 2)
gevent.sleep(0.01)
p2.kill()
p.join()
print(q.qsize(), q.get(), q.qsize())
# a semaphore with held by a greenlet that dies with an exception
s = Semaphore(1)
def holder():
    s.acquire()
    gevent.sleep(0.05)
    raise KeyError("x")
def waiter():
    print("acquired", s.acquire(timeout=0.1))
h = gevent.spawn(holder)
w = gevent.spawn(waiter)
gevent.joinall([h, w])
print("counter", s.counter)
# joinall with raise_error
def fails():
    gevent.sleep(0.01)
    raise ValueError("bad")
try:
    gevent.joinall([gevent.spawn(fails), gevent.spawn(gevent.sleep, 0.2)], raise_error=True)
except ValueError as ex:
    print("joinall raised", ex)
# pool.map where one job raises
pool = Pool(2)
def sq(n):
    gevent.sleep(0.01 * n)
    if n == 3:
        raise RuntimeError("three")
    return n * n
print(pool.map(sq, [1, 2, 4]))
pool.join()
print(sorted(pool.imap_unordered(lambda n: n + 1, [3, 1, 2])))
# JoinableQueue join with a timeout never satisfied
jq = JoinableQueue()
jq.put(1)
print("join", jq.join(timeout=0.05))
# Timeout inside a greenlet firing during sleep, then cancel twice
def timed():
    t = gevent.Timeout(0.05)
    t.start()
    try:
        gevent.sleep(1)
    except gevent.Timeout as ex:
        print("timed out", ex is t)
    t.cancel()
    t.cancel()
gevent.spawn(timed).join()
# a greenlet blocked forever at the end
left = gevent.spawn(Queue().get)
gevent.sleep(0.01)
print("end", left.dead)
