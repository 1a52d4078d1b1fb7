import asyncio

def work():
    await asyncio.sleep(1)

asyncio.run(work())
