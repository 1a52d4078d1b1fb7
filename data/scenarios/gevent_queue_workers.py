# title: gevent: a queue fed by a producer, drained by a pool of three workers
# description: A producer greenlet puts six URLs in a gevent.queue.Queue
# description: (maxsize 2, so it waits whenever the queue is full) and then
# description: one StopIteration per worker. Three workers from a
# description: gevent.pool.Pool(3) run `for url in tasks:`, each "fetching"
# description: its URL with gevent.sleep standing for the network. Watch
# description: the lanes: a worker waits in the hub on the empty queue, the
# description: producer waits on the full one, and every hand-over is a
# description: switch through the hub.
# reference: documented semantics
import gevent
from gevent.pool import Pool
from gevent.queue import Queue

tasks = Queue(maxsize=2)
fetch_time = {"a": 0.3, "b": 0.1, "c": 0.2, "d": 0.1, "e": 0.4, "f": 0.2}


def producer():
    for name in fetch_time:
        url = "http://example.com/" + name
        tasks.put(url)
        print(f"producer: queued {url}")
    for _ in range(3):
        tasks.put(StopIteration)
    print("producer: all queued")


def worker(n):
    done = 0
    for url in tasks:
        print(f"worker {n}: fetching {url}")
        gevent.sleep(fetch_time[url[-1]])
        print(f"worker {n}: done {url}")
        done += 1
    return done


pool = Pool(3)
workers = [pool.spawn(worker, n) for n in (1, 2, 3)]
gevent.spawn(producer).join()
pool.join()
print("fetched per worker:", [w.value for w in workers])
