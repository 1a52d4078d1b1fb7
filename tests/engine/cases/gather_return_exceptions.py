# gather(return_exceptions=True): a failing child and a cancelled child
# become values in the result list.
import asyncio

async def fail():
    await asyncio.sleep(1)
    raise ValueError("boom")

async def ok():
    await asyncio.sleep(2)
    return "ok"

async def slow():
    await asyncio.sleep(10)
    return "slow"

async def main():
    loop = asyncio.get_running_loop()
    t = asyncio.create_task(slow(), name="slow")
    loop.call_later(1.5, t.cancel)
    res = await asyncio.gather(fail(), ok(), t, return_exceptions=True)
    print(res, "at", loop.time())

asyncio.run(main())
