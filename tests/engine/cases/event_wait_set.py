# An Event wakes every waiter at once; waiting on a set event returns at
# once; after clear() waiters block again.
import asyncio

async def waiter(name, ev):
    print(name, "waiting")
    r = await ev.wait()
    print(name, "woke at", asyncio.get_running_loop().time(), r)
    return name

async def main():
    loop = asyncio.get_running_loop()
    ev = asyncio.Event()
    tasks = [asyncio.create_task(waiter(n, ev)) for n in "ABC"]
    await asyncio.sleep(1)
    print("set at", loop.time(), "is_set:", ev.is_set())
    ev.set()
    ev.set()
    print(await asyncio.gather(*tasks))
    print("wait on a set event:", await ev.wait())
    ev.clear()
    print("is_set after clear:", ev.is_set())
    late = asyncio.create_task(waiter("D", ev))
    await asyncio.sleep(0.5)
    ev.set()
    print(await late, "at", loop.time())

asyncio.run(main())
