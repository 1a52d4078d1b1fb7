# reference: gevent 22.10.2 under CPython 3.11
# Greenlet results, links, wait/iwait/killall, Event, AsyncResult.
import gevent
from gevent.event import Event, AsyncResult

def work(name, d):
    gevent.sleep(d)
    print("work", name, "done")
    return name.upper()

def fail(d):
    gevent.sleep(d)
    raise KeyError("nope")

a = gevent.spawn(work, "a", 0.2)
b = gevent.spawn(work, "b", 0.1)
print(bool(a), a.started, a.ready())
a.link(lambda g: print("link", g.value))
b.link_value(lambda g: print("link_value", g.value))
b.link_exception(lambda g: print("never"))
print("get b", b.get())
try:
    a.get(timeout=0.05)
except gevent.Timeout as t:
    print("Timeout", t.seconds)
print("get a", a.get(), a.successful(), bool(a), a.ready())
f = gevent.spawn(fail, 0.1)
f.link_exception(lambda g: print("link_exception", repr(g.exception)))
try:
    f.get()
except KeyError as e:
    print("re-raised", repr(e))
print(f.successful(), repr(f.exception), f.value)

gs = [gevent.spawn(work, n, d) for n, d in [("x", 0.3), ("y", 0.1), ("z", 0.2)]]
print([g.value for g in gevent.wait(gs, count=2)])
for g in gevent.iwait(gs):
    print("iwait", g.value)

def loop_forever(n):
    try:
        while True:
            gevent.sleep(0.1)
    except gevent.GreenletExit:
        print("exit", n)
ks = [gevent.spawn(loop_forever, i) for i in range(3)]
gevent.sleep(0.15)
gevent.killall(ks)
print([k.dead for k in ks], [repr(k.value) for k in ks])

ev = Event()
def waiter(n):
    print("waiting", n)
    r = ev.wait()
    print("woke", n, r)
ws = [gevent.spawn(waiter, i) for i in range(3)]
gevent.sleep(0.1)
print("is_set", ev.is_set())
ev.set()
gevent.joinall(ws)
ev.clear()
print("wait timeout", ev.wait(timeout=0.1))

ar = AsyncResult()
def setter():
    gevent.sleep(0.1)
    ar.set(42)
gevent.spawn(setter)
print("async", ar.get(), ar.ready(), ar.successful())
ar2 = AsyncResult()
gevent.spawn_later(0.1, ar2.set_exception, ValueError("bad result"))
try:
    ar2.get()
except ValueError as e:
    print("async raised", e)
try:
    AsyncResult().get(timeout=0.05)
except gevent.Timeout as t:
    print("async timeout", t.seconds)
