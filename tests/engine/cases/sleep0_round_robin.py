# sleep(0) hands the loop to the next ready task: three tasks take turns.
import asyncio

async def worker(name, n):
    for i in range(n):
        print(name, i)
        await asyncio.sleep(0)
    return name

async def main():
    tasks = [asyncio.create_task(worker(c, 3)) for c in "ABC"]
    for t in tasks:
        print("result", await t)

asyncio.run(main())
