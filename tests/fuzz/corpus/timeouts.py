import asyncio

async def slow():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("cancelled")
        raise

async def main():
    try:
        async with asyncio.timeout(1):
            await slow()
    except TimeoutError:
        print("timed out")
    r = await asyncio.wait_for(asyncio.sleep(0.1, result=42), timeout=5)
    print(r)

asyncio.run(main())
