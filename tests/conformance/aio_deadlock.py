# A task waits for an event nobody will ever set: the loop has nothing to
# do and no timer pending, so the run is a deadlock (exit status 3).
import asyncio

async def main():
    ev = asyncio.Event()
    print("waiting for an event that never comes")
    await asyncio.sleep(1)
    await ev.wait()
    print("never")

asyncio.run(main())
