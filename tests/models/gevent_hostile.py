# reference: gevent 22.10.2 under CPython 3.11
# Hostile uses of gevent: a greenlet killed while it waits in a queue get,
# link callbacks that raise, a Timeout firing while a pool spawn waits for
# room, joinall on a group killed meanwhile, an AsyncResult set twice.
import gevent
from gevent.queue import Queue
from gevent.pool import Pool, Group
from gevent.event import AsyncResult, Event

# Kill a greenlet blocked in a queue get; the queue later receives an item.

q = Queue()
def getter(name):
    try:
        print(name, "got", q.get())
    except gevent.GreenletExit:
        print(name, "killed while waiting")
        raise
    finally:
        print(name, "finally")

a = gevent.spawn(getter, "a")
b = gevent.spawn(getter, "b")
gevent.sleep(0.05)
a.kill()
print("a dead:", a.dead, "value:", type(a.value).__name__)
q.put(1)
b.join()
print("qsize", q.qsize())
q.put(2)
print("qsize", q.qsize())
# A getter with a timeout that is killed before the timeout passes.
c = gevent.spawn(lambda: q.get(timeout=0.1) and q.get(timeout=0.1))
gevent.sleep(0.05)
gevent.kill(c)
gevent.sleep(0.2)
print("c", c.dead, c.successful())

# A link callback that raises: gevent reports it and goes on.

def work():
    gevent.sleep(0.05)
    return 7

def bad(g):
    print("bad link sees", g.value)
    raise ValueError("in link")

def good(g):
    print("good link sees", g.value)

g = gevent.spawn(work)
g.link(bad)
g.link(good)
g.rawlink(good)
g.join()
gevent.sleep(0.05)
print("after join", g.value)
h = gevent.spawn(work)
def raw_bad(x):
    raise KeyError("raw")
h.rawlink(raw_bad)
h.link_value(good)
h.join()
gevent.sleep(0.05)
print("done")

# A Timeout that fires while a pool spawn waits for room.

pool = Pool(1)
def job(n):
    gevent.sleep(0.2)
    print("job", n, "done")
    return n

pool.spawn(job, 1)
try:
    with gevent.Timeout(0.05):
        pool.spawn(job, 2)
        print("not reached")
except gevent.Timeout as t:
    print("timed out waiting for room", len(pool), pool.free_count())
pool.join()
print("pool empty", len(pool), pool.free_count())
g = pool.spawn(job, 3)
print(g.get())
# The same in a greenlet other than the main one.
pool.spawn(job, 4)
def spawner():
    t = gevent.Timeout(0.05)
    t.start()
    try:
        pool.spawn(job, 5)
        print("not reached")
    except gevent.Timeout:
        print("spawner timed out", len(pool))
    finally:
        t.cancel()
gevent.spawn(spawner).join()
pool.join()
print("end", len(pool))

# joinall on a group that is killed meanwhile.

group = Group()
killed = []
def worker(n):
    try:
        gevent.sleep(n * 0.1)
        print("worker", n, "finished")
        return n
    except gevent.GreenletExit:
        killed.append(n)
        raise

gs = [group.spawn(worker, n) for n in (1, 2, 3)]
def killer():
    gevent.sleep(0.15)
    group.kill()
    print("killer done", len(group), sorted(killed))
gevent.spawn(killer)
done = gevent.joinall(gs)
print("joinall got", len(done))
print([g.successful() for g in gs])
print([type(g.value).__name__ for g in gs])
# joinall on greenlets killed before they started
more = [gevent.spawn(worker, n) for n in (4, 5)]
gevent.killall(more)
print(len(gevent.joinall(more)), [g.dead for g in more])
group.join()
print("group empty", len(group))

# An AsyncResult set twice, and set_exception after set.

r = AsyncResult()
def waiter(name):
    print(name, "got", r.get())
ws = [gevent.spawn(waiter, n) for n in ("w1", "w2")]
gevent.sleep(0.05)
r.set(1)
r.set(2)
gevent.joinall(ws)
print(r.get(), r.value, r.ready(), r.successful())
r.set_exception(ValueError("late"))
print(r.ready(), r.successful(), repr(r.exception))
try:
    r.get()
except ValueError as e:
    print("get raised", e)
late = gevent.spawn(waiter, "w3")
late.join()
print("w3 ok", late.successful())
e = Event()
e.set()
e.set()
print(e.wait(0.01), e.is_set())
e.clear()
print(e.wait(0.01))
