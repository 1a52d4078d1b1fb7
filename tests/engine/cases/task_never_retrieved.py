# A task raising while nobody awaits it: nothing is printed while the
# program runs; CPython reports it only when the task is garbage collected.
import asyncio

async def failing():
    raise KeyError("lost")

async def main():
    asyncio.create_task(failing())
    await asyncio.sleep(1)
    print("main done")

asyncio.run(main())
