# create_task schedules a coroutine to run concurrently; it starts only when
# the creating task yields.
import asyncio

async def worker(name, delay):
    print(name, "started")
    await asyncio.sleep(delay)
    print(name, "finished")
    return name.upper()

async def main():
    t1 = asyncio.create_task(worker("one", 2))
    t2 = asyncio.create_task(worker("two", 1))
    print("tasks created")
    r1 = await t1
    print("awaited t1:", r1, "t2 done?", t2.done())
    r2 = await t2
    print("awaited t2:", r2)
    print(asyncio.get_running_loop().time())

asyncio.run(main())
