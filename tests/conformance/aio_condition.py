# asyncio.Condition: notify wakes one waiter, notify_all the rest;
# wait_for waits until a predicate holds.
import asyncio

async def consumer(cond, name, box):
    async with cond:
        await cond.wait()
        print(name, "notified, box =", box, "at", asyncio.get_running_loop().time())

async def until_ready(cond, box):
    async with cond:
        await cond.wait_for(lambda: len(box) >= 3)
        print("predicate true with", box)

async def main():
    cond = asyncio.Condition()
    box = []
    tasks = [asyncio.create_task(consumer(cond, f"c{i}", box)) for i in range(3)]
    tasks.append(asyncio.create_task(until_ready(cond, box)))
    await asyncio.sleep(1)
    async with cond:
        box.append(1)
        cond.notify()
    await asyncio.sleep(1)
    async with cond:
        box.append(2)
        box.append(3)
        cond.notify_all()
    await asyncio.gather(*tasks)
    try:
        cond.notify()
    except RuntimeError as e:
        print("RuntimeError:", e)

asyncio.run(main())
