# A coroutine called but never awaited does nothing; CPython warns on
# stderr when the coroutine object is destroyed.
import asyncio

async def work():
    print("never runs")

async def main():
    work()
    await asyncio.sleep(1)
    print("main done")

asyncio.run(main())
