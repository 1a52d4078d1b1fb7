import asyncio
import random

async def producer(q, n):
    for i in range(n):
        await q.put(i)
        await asyncio.sleep(random.random())
    await q.put(None)

async def consumer(q):
    while (item := await q.get()) is not None:
        print(f"got {item=}")
        q.task_done()

async def main():
    q = asyncio.Queue(maxsize=2)
    await asyncio.gather(producer(q, 5), consumer(q))

asyncio.run(main())
