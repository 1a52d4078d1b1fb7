# lang-queue.py - benchmark: a producer and a consumer task moving 1,000,000
# items through a bounded asyncio.Queue, with task_done() and join() as the
# tutorials use them.  The bound makes the two tasks take turns: the
# producer blocks whenever the queue is full, the consumer whenever it is
# empty.
#
# tests/bench/run-lang.sh times it under Loopscope and under CPython 3.12
# (the oracle, with C tasks) from outside each process; it reads no clock,
# since the oracle makes time virtual.  The checksum is the sum of the items;
# the items that came out of order are counted too (there should be none).
import asyncio

NITEMS = 1_000_000
MAXSIZE = 100


async def producer(q):
    for i in range(NITEMS):
        await q.put(i)


async def consumer(q):
    total = 0
    misordered = 0
    last = -1
    for _ in range(NITEMS):
        item = await q.get()
        if item != last + 1:
            misordered += 1
        last = item
        total += item
        q.task_done()
    return total, misordered


async def main():
    q = asyncio.Queue(maxsize=MAXSIZE)
    cons = asyncio.create_task(consumer(q))
    await producer(q)
    await q.join()
    total, misordered = await cons
    print(f"lang-queue checksum={total} misordered={misordered} left={q.qsize()}")


asyncio.run(main())
