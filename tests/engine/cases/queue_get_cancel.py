# Getters are cancelled: g1 while waiting, g2 after put_nowait() woke it
# -- the item then goes to g3.
import asyncio

async def getter(name, q):
    loop = asyncio.get_running_loop()
    try:
        item = await q.get()
    except asyncio.CancelledError:
        print(name, "cancelled at", loop.time(), "qsize:", q.qsize())
        raise
    print(name, "got", item, "at", loop.time())
    return item

async def main():
    q = asyncio.Queue()
    tasks = [asyncio.create_task(getter(n, q)) for n in ("g1", "g2", "g3")]
    await asyncio.sleep(1)
    tasks[0].cancel()
    q.put_nowait("a")
    tasks[1].cancel()
    print(str(q))
    results = await asyncio.gather(*tasks, return_exceptions=True)
    print([type(r).__name__ if isinstance(r, BaseException) else r for r in results])
    print(str(q))

asyncio.run(main())
