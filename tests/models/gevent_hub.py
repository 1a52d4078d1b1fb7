import gevent

def task_1(n):
    for i in range(n):
        print(gevent.getcurrent(), i)
        gevent.sleep(0)

g1 = gevent.spawn(task_1, 5)
g2 = gevent.spawn(task_1, 5)
g3 = gevent.spawn(task_1, 5)
gevent.joinall([g1, g2, g3])
print(g1.dead, g1.value)

import time
def foo():
    print('Running in foo')
    gevent.sleep(0)
    print('Explicit context switch to foo again')

def bar():
    print('Explicit context to bar')
    gevent.sleep(0)
    print('Implicit context switch back to bar')

gevent.joinall([gevent.spawn(foo), gevent.spawn(bar)])

start = time.time()
def gr(n, d):
    print(f"{n} start {time.time() - start:.1f}")
    gevent.sleep(d)
    print(f"{n} end {time.time() - start:.1f}")
    return n
gs = [gevent.spawn(gr, "a", 2), gevent.spawn(gr, "b", 1), gevent.spawn(gr, "c", 1)]
done = gevent.joinall(gs, timeout=1.5)
print([g.value for g in done], time.time() - start)
gevent.joinall(gs)
print([g.value for g in gs], time.time() - start)

def boom():
    raise ValueError("bad")
b = gevent.spawn(boom)
b.join()
print(b.exception, repr(b.exception), b.successful())

def forever():
    try:
        while True:
            gevent.sleep(1)
    except gevent.GreenletExit:
        print("killed at", time.time() - start)
        raise
f = gevent.spawn(forever)
gevent.sleep(2.5)
f.kill()
print(f.dead, f.value)

l = gevent.spawn_later(1, print, "later")
gevent.sleep(0.5)
print("before")
l.join()
try:
    with gevent.Timeout(1):
        gevent.sleep(3)
except gevent.Timeout as t:
    print("timed out", time.time() - start)
from gevent import monkey
monkey.patch_all()
def sl(n):
    time.sleep(n)
    print("slept", n, time.time() - start)
gevent.joinall([gevent.spawn(sl, 2), gevent.spawn(sl, 1)])
