# title: gevent: three spawned greenlets taking turns
# description: The gevent tutorial's task_1: three greenlets spawned with
# description: gevent.spawn, each printing a counter and yielding with
# description: gevent.sleep(0). joinall waits for the three; the hub runs
# description: them round-robin, so the output interleaves 0 0 0 1 1 1 ...
# description: Every switch goes through the hub, a greenlet of its own.
# reference: documented semantics
import gevent


def task_1(n):
    for i in range(n):
        print(gevent.getcurrent(), i)
        gevent.sleep(0)


g1 = gevent.spawn(task_1, 5)
g2 = gevent.spawn(task_1, 5)
g3 = gevent.spawn(task_1, 5)
gevent.joinall([g1, g2, g3])
