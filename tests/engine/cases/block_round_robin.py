# Each task blocks the loop for a second, then yields with sleep(0): the
# tasks take turns and the clock moves only while one of them blocks.
import asyncio
import time

async def worker(name):
    loop = asyncio.get_running_loop()
    for i in range(2):
        time.sleep(1)
        print(name, i, "at", loop.time())
        await asyncio.sleep(0)
    return name

async def main():
    loop = asyncio.get_running_loop()
    tasks = [asyncio.create_task(worker(c)) for c in "ABC"]
    for t in tasks:
        print("result", await t, "at", loop.time())

asyncio.run(main())
