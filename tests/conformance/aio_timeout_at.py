# asyncio.timeout_at takes an absolute deadline in loop.time() units;
# nested timeouts: the inner one that fires is the one reported.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 2
    try:
        async with asyncio.timeout_at(deadline) as cm:
            print("when:", cm.when())
            await asyncio.sleep(10)
    except TimeoutError:
        print("timeout_at fired at", loop.time())
    try:
        async with asyncio.timeout(5):
            try:
                async with asyncio.timeout(1):
                    await asyncio.sleep(3)
            except TimeoutError:
                print("inner timeout at", loop.time())
            await asyncio.sleep(10)
    except TimeoutError:
        print("outer timeout at", loop.time())

asyncio.run(main())
