# Waiters on a lock are cancelled: D while it waits, B after release()
# has already woken it -- B then passes the lock on to C.
import asyncio

async def waiter(name, lock):
    loop = asyncio.get_running_loop()
    try:
        await lock.acquire()
    except asyncio.CancelledError:
        print(name, "cancelled at", loop.time(), "locked:", lock.locked())
        raise
    try:
        print(name, "got the lock at", loop.time())
        await asyncio.sleep(1)
    finally:
        lock.release()
    return name

async def main():
    loop = asyncio.get_running_loop()
    lock = asyncio.Lock()
    await lock.acquire()
    tasks = [asyncio.create_task(waiter(n, lock)) for n in "BCD"]
    await asyncio.sleep(1)
    tasks[2].cancel()
    await asyncio.sleep(1)
    lock.release()
    tasks[0].cancel()
    print("released and cancelled B at", loop.time(), "locked:", lock.locked())
    results = await asyncio.gather(*tasks, return_exceptions=True)
    print([type(r).__name__ if isinstance(r, BaseException) else r for r in results])
    print("locked:", lock.locked(), "at", loop.time())

asyncio.run(main())
