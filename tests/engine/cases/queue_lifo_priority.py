# LifoQueue gives the newest item first; PriorityQueue the smallest, with
# heapq's order among equal keys; empty and full queues raise.
import asyncio

async def main():
    lq = asyncio.LifoQueue()
    for i in [1, 2, 3]:
        await lq.put(i)
    print([await lq.get() for _ in range(3)])

    pq = asyncio.PriorityQueue()
    for item in [5, 1.5, 3, True, 0.5, 4, 3.0, 1]:
        pq.put_nowait(item)
    print(str(pq))
    print([pq.get_nowait() for _ in range(pq.qsize())])

    tq = asyncio.PriorityQueue()
    for item in [(2, "b"), (1, "z"), (1, "a"), (2, "a", 0), (2,), (1.0, "m"), (0, "c")]:
        await tq.put(item)
    print(str(tq))
    print([await tq.get() for _ in range(tq.qsize())])

    sq = asyncio.PriorityQueue()
    for item in ["pear", "apple", "fig", "Apple", "apples", ""]:
        sq.put_nowait(item)
    print([sq.get_nowait() for _ in range(sq.qsize())])

    try:
        pq.get_nowait()
    except asyncio.QueueEmpty as e:
        print("QueueEmpty", repr(e))
    fq = asyncio.Queue(maxsize=1)
    fq.put_nowait("x")
    try:
        fq.put_nowait("y")
    except asyncio.QueueFull as e:
        print("QueueFull", repr(e), str(fq))

    mq = asyncio.PriorityQueue()
    mq.put_nowait(1)
    try:
        mq.put_nowait("a")
    except TypeError as e:
        print("TypeError:", e)
    print(mq.qsize(), str(mq))

asyncio.run(main())
