# Edges: switches Loopscope refuses, greenlets left suspended, kill before
# start, LoopExit, a joinall timeout and a built-in spawned as run.
from greenlet import greenlet, getcurrent
import gevent
from gevent.exceptions import LoopExit

main = getcurrent()


def key(x):
    main.switch(x)
    return x


def sorter():
    return sorted([3, 1, 2], key=key)


try:
    greenlet(sorter).switch()
except RuntimeError as e:
    print("RuntimeError:", e)


def dropped():
    main.switch("left suspended")
    print("never printed")


print(greenlet(dropped).switch())

never = gevent.spawn(print, "never printed")
never.kill()
print(never.dead, repr(never.value), never.successful())

w = gevent.spawn(lambda: main.switch("hi from w"))
print(gevent.sleep(0), "- back in main")
try:
    w.join()
except LoopExit as e:
    print("LoopExit:", e.args[0])

sleeper = gevent.spawn(gevent.sleep, 1)
print(gevent.joinall([sleeper], timeout=0.5), sleeper.dead)
print(gevent.joinall([sleeper]), sleeper.dead, sleeper.value)

timeout = gevent.Timeout(5)
timeout.start()
timeout.cancel()
gevent.sleep(1)
print("no timeout fired")
