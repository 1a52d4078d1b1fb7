# shield protects the inner task from cancellation of the outer await: the
# waiter gets CancelledError (or TimeoutError) but the work carries on.
import asyncio

async def important():
    await asyncio.sleep(2)
    print("important work finished at", asyncio.get_running_loop().time())
    return "saved"

async def main():
    inner = asyncio.create_task(important())
    try:
        await asyncio.wait_for(asyncio.shield(inner), timeout=1)
    except TimeoutError:
        print("gave up waiting at", asyncio.get_running_loop().time(),
              "inner cancelled?", inner.cancelled())
    print("result:", await inner)

    async def waiter(aw):
        return await asyncio.shield(aw)

    inner2 = asyncio.create_task(important())
    w = asyncio.create_task(waiter(inner2))
    await asyncio.sleep(0.5)
    w.cancel()
    await asyncio.sleep(0)
    print("waiter cancelled:", w.cancelled(), "inner2 done:", inner2.done())
    print(await inner2)

asyncio.run(main())
