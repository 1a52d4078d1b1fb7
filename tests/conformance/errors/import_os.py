import asyncio
import os

async def main():
    print(os.getcwd())

asyncio.run(main())
