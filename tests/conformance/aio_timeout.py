# asyncio.timeout: the block is cancelled at the deadline and TimeoutError
# raised after it; reschedule moves the deadline; None means no deadline.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(1.5):
            await asyncio.sleep(1)
            print("first sleep done at", loop.time())
            await asyncio.sleep(1)
            print("never")
    except TimeoutError:
        print("timed out at", loop.time())
    async with asyncio.timeout(None) as cm:
        print("deadline:", cm.when())
        cm.reschedule(loop.time() + 3)
        await asyncio.sleep(2)
    print("expired:", cm.expired(), "at", loop.time())
    try:
        async with asyncio.timeout(10) as cm:
            cm.reschedule(loop.time() + 0.25)
            await asyncio.sleep(5)
    except TimeoutError:
        print("rescheduled timeout fired at", loop.time(), cm.expired())

asyncio.run(main())
