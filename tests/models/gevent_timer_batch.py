# reference: gevent 22.10.2 under CPython 3.11
# Timers due at the same time fire as one batch, before the callbacks
# the greenlets they wake schedule (libev's timers_reify, then gevent's
# callbacks in the next iteration); a timer made meanwhile waits.
import gevent
order = []
def a():
    gevent.sleep(0.1)
    order.append("a woke")
    gevent.spawn(lambda: order.append("spawned by a"))
    gevent.sleep(0)
    order.append("a after sleep0")
def b():
    gevent.sleep(0.1)
    order.append("b woke")
def c():
    gevent.sleep(0.1)
    order.append("c woke")
    gevent.sleep(0.05)
    order.append("c again")
def d():
    gevent.sleep(0.15)
    order.append("d woke")
gevent.joinall([gevent.spawn(f) for f in (a, b, c, d)])
print(order)
