# The loop is closed while a worker still waits on its queue: nobody
# cancelled it, so it is destroyed pending.  Finding: pending-at-end for
# worker().
import asyncio

async def worker(q):
    while True:
        item = await q.get()
        print("got", item)

async def main():
    q = asyncio.Queue()
    asyncio.get_running_loop().create_task(worker(q))
    await q.put(1)
    await asyncio.sleep(0.1)

loop = asyncio.new_event_loop()
loop.run_until_complete(main())
loop.close()
