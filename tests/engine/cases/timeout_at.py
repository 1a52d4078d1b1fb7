# timeout_at(): an absolute deadline on the loop's clock; a Timeout cannot
# be entered twice.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout_at(loop.time() + 1.25) as cm:
            print("when", cm.when())
            await asyncio.sleep(5)
    except TimeoutError as e:
        print("timed out at", loop.time(), "cause", repr(e.__cause__))
    async with asyncio.timeout_at(loop.time() + 10) as cm:
        await asyncio.sleep(1)
    print("in time", cm.expired(), "at", loop.time(), repr(cm))
    try:
        async with cm:
            pass
    except RuntimeError as e:
        print("RuntimeError:", e)
    async with asyncio.timeout_at(None) as cm:
        await asyncio.sleep(3)
    print("never", cm.expired(), cm.when(), "at", loop.time())

asyncio.run(main())
