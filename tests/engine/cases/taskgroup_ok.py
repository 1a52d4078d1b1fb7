# A TaskGroup whose children all succeed: leaving the block waits for the
# slowest child; a named child still takes a Task-N number.
import asyncio

async def work(name, delay, value):
    loop = asyncio.get_running_loop()
    print(name, "start at", loop.time())
    await asyncio.sleep(delay)
    print(name, "done at", loop.time())
    return value

async def main():
    loop = asyncio.get_running_loop()
    async with asyncio.TaskGroup() as tg:
        t1 = tg.create_task(work("a", 2, 10))
        t2 = tg.create_task(work("b", 1, 20), name="bee")
        t3 = tg.create_task(work("c", 3, 30))
        print("body done", t2.get_name(), repr(tg))
    print("after group at", loop.time(), repr(tg))
    print(t1.result(), t2.result(), t3.result())

asyncio.run(main())
