# async with on asyncio.Lock (the lock is released even when the body
# raises) and on asyncio.timeout.
import asyncio

async def main():
    lock = asyncio.Lock()
    async with lock:
        print("inside, locked:", lock.locked())
    print("after, locked:", lock.locked())
    try:
        async with lock:
            raise ValueError("boom inside")
    except ValueError as e:
        print("caught", e, "locked:", lock.locked())
    async with asyncio.timeout(5) as cm:
        await asyncio.sleep(1)
    print("expired:", cm.expired())

asyncio.run(main())
