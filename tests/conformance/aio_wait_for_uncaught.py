# A wait_for timeout nobody catches ends the program: exit status 1 and
# the final traceback line is just "TimeoutError".
import asyncio

async def main():
    print("waiting")
    await asyncio.wait_for(asyncio.sleep(10), timeout=0.5)
    print("never")

asyncio.run(main())
