# Producer/consumer with asyncio.Queue: a bounded queue makes the producer
# wait; join() waits until every item is marked done.
import asyncio

async def producer(q, n):
    for i in range(n):
        await q.put(i)
        print(f"put {i} (size {q.qsize()}) at {asyncio.get_running_loop().time()}")
    print("producer done")

async def consumer(q, name):
    while True:
        item = await q.get()
        await asyncio.sleep(1)
        print(f"{name} handled {item} at {asyncio.get_running_loop().time()}")
        q.task_done()

async def main():
    q = asyncio.Queue(maxsize=2)
    consumers = [asyncio.create_task(consumer(q, f"c{i}")) for i in range(2)]
    await producer(q, 6)
    await q.join()
    print("all handled at", asyncio.get_running_loop().time(), q.empty(), q.full())
    for c in consumers:
        c.cancel()
    await asyncio.gather(*consumers, return_exceptions=True)
    print([c.cancelled() for c in consumers])

asyncio.run(main())
