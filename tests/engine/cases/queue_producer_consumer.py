# A producer and a consumer share a Queue(maxsize=2): put() blocks while
# the queue is full; join() waits until every item is task_done().
import asyncio

async def producer(q, n):
    loop = asyncio.get_running_loop()
    for i in range(n):
        print("put", i, "at", loop.time())
        await q.put(i)
        print("put done", i, "at", loop.time(), "qsize", q.qsize())

async def consumer(q):
    loop = asyncio.get_running_loop()
    while True:
        item = await q.get()
        print("got", item, "at", loop.time())
        await asyncio.sleep(1)
        q.task_done()

async def main():
    loop = asyncio.get_running_loop()
    q = asyncio.Queue(maxsize=2)
    c = asyncio.create_task(consumer(q))
    p = asyncio.create_task(producer(q, 5))
    await p
    print("producer done at", loop.time(), "full:", q.full())
    await q.join()
    print("joined at", loop.time(), "empty:", q.empty())
    c.cancel()
    try:
        await c
    except asyncio.CancelledError:
        print("consumer cancelled")
    try:
        q.task_done()
    except ValueError as e:
        print("ValueError:", e)

asyncio.run(main())
