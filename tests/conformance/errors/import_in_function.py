import asyncio

async def main():
    import subprocess
    await asyncio.sleep(0)

asyncio.run(main())
