# A TaskGroup whose children fail, not caught: the ExceptionGroup ends the
# program, drawn as CPython draws exception groups.
import asyncio

async def child(n):
    await asyncio.sleep(n / 10)
    raise ValueError(f"child {n} failed")

async def main():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(child(1))
        tg.create_task(child(2))
    print("not reached")

asyncio.run(main())
