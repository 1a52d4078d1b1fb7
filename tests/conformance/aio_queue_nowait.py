# put_nowait/get_nowait raise QueueFull/QueueEmpty; LifoQueue and
# PriorityQueue order their items.
import asyncio

async def main():
    q = asyncio.Queue(1)
    q.put_nowait("a")
    try:
        q.put_nowait("b")
    except asyncio.QueueFull:
        print("QueueFull", q.qsize(), q.maxsize)
    print(q.get_nowait())
    try:
        q.get_nowait()
    except asyncio.QueueEmpty:
        print("QueueEmpty")
    lifo = asyncio.LifoQueue()
    pq = asyncio.PriorityQueue()
    for item in [3, 1, 2]:
        lifo.put_nowait(item)
        pq.put_nowait((item, f"p{item}"))
    print([lifo.get_nowait() for _ in range(3)])
    print([pq.get_nowait() for _ in range(3)])
    try:
        got = await asyncio.wait_for(q.get(), timeout=1)
    except TimeoutError:
        print("get timed out at", asyncio.get_running_loop().time())

asyncio.run(main())
