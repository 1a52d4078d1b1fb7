import asyncio

async def work():
    await asyncio.sleep(1)

await work()
