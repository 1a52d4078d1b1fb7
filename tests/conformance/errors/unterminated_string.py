import asyncio

async def main():
    print('never closed)

asyncio.run(main())
