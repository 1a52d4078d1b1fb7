import asyncio

async def main():
    async with asyncio.TaskGroup() as tg:
        t1 = tg.create_task(asyncio.sleep(1, result="x"))
        t2 = tg.create_task(asyncio.sleep(2))
    print(t1.result(), t2.done())

asyncio.run(main())
