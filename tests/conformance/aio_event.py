# asyncio.Event: every waiter wakes when it is set; wait() on a set event
# returns at once; clear() resets it.
import asyncio

async def waiter(ev, name):
    print(name, "waiting")
    await ev.wait()
    print(name, "woke at", asyncio.get_running_loop().time())

async def main():
    ev = asyncio.Event()
    tasks = [asyncio.create_task(waiter(ev, n)) for n in ("w1", "w2", "w3")]
    await asyncio.sleep(2)
    print("setting, is_set:", ev.is_set())
    ev.set()
    await asyncio.gather(*tasks)
    print(await ev.wait(), ev.is_set())
    ev.clear()
    print("cleared:", ev.is_set())
    try:
        await asyncio.wait_for(ev.wait(), 1)
    except TimeoutError:
        print("nobody set it")

asyncio.run(main())
