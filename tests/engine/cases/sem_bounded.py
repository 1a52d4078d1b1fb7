# BoundedSemaphore refuses to be released above its initial value; a
# plain Semaphore does not; a negative initial value is refused.
import asyncio

async def main():
    try:
        asyncio.Semaphore(-1)
    except ValueError as e:
        print("ValueError:", e)
    sem = asyncio.BoundedSemaphore(2)
    print(await sem.acquire(), sem.locked())
    print(await sem.acquire(), sem.locked())
    sem.release()
    sem.release()
    print("locked:", sem.locked())
    try:
        sem.release()
    except ValueError as e:
        print("ValueError:", e)
    plain = asyncio.Semaphore(1)
    plain.release()
    plain.release()
    print(await plain.acquire(), await plain.acquire(), await plain.acquire(), plain.locked())

asyncio.run(main())
