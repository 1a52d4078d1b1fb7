# Condition.notify(1) wakes the first waiter only, notify_all the rest;
# each returns from wait() holding the lock again.
import asyncio

async def consumer(name, cond):
    loop = asyncio.get_running_loop()
    async with cond:
        print(name, "waits at", loop.time())
        r = await cond.wait()
        print(name, "notified at", loop.time(), r, cond.locked())
    return name

async def main():
    loop = asyncio.get_running_loop()
    cond = asyncio.Condition()
    tasks = [asyncio.create_task(consumer(n, cond)) for n in "ABC"]
    await asyncio.sleep(1)
    async with cond:
        cond.notify(1)
        print("notify(1) at", loop.time())
    await asyncio.sleep(1)
    async with cond:
        cond.notify_all()
        print("notify_all at", loop.time())
    print(await asyncio.gather(*tasks))
    try:
        cond.notify()
    except RuntimeError as e:
        print("RuntimeError:", e)

asyncio.run(main())
