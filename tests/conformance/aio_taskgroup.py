# TaskGroup waits for all its tasks when the block ends; results are read
# from the tasks afterwards.
import asyncio

async def square(n):
    await asyncio.sleep(n)
    print("square", n, "at", asyncio.get_running_loop().time())
    return n * n

async def main():
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(square(n)) for n in (3, 1, 2)]
        named = tg.create_task(square(0.5), name="half")
        print("block body ends at", asyncio.get_running_loop().time())
    print([t.result() for t in tasks], named.get_name(), named.result())

asyncio.run(main())
