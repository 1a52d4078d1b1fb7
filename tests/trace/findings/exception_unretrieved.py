# A background task fails and nobody awaits it or asks for its result.
# Finding: exception-never-retrieved for Task-2.
import asyncio

async def fragile():
    await asyncio.sleep(0.1)
    raise ValueError("lost")

async def main():
    asyncio.create_task(fragile())
    await asyncio.sleep(1)

asyncio.run(main())
print("done")
