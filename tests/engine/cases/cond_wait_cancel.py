# A task cancelled in Condition.wait() re-acquires the lock before the
# CancelledError reaches it; wait_for() loops until its predicate holds.
import asyncio

async def waiter(cond):
    loop = asyncio.get_running_loop()
    async with cond:
        try:
            await cond.wait()
        except asyncio.CancelledError:
            print("waiter cancelled at", loop.time(), "holds lock:", cond.locked())
            raise

async def pred_waiter(cond, state):
    loop = asyncio.get_running_loop()
    async with cond:
        r = await cond.wait_for(lambda: state["n"] >= 2)
        print("predicate true at", loop.time(), r, state["n"])
    return "pred"

async def main():
    loop = asyncio.get_running_loop()
    cond = asyncio.Condition()
    state = {"n": 0}
    w = asyncio.create_task(waiter(cond))
    p = asyncio.create_task(pred_waiter(cond, state))
    await asyncio.sleep(1)
    async with cond:
        w.cancel()
        await asyncio.sleep(1)
        print("main releases at", loop.time())
    for i in range(2):
        await asyncio.sleep(1)
        async with cond:
            state["n"] += 1
            print("n =", state["n"], "at", loop.time())
            cond.notify_all()
    results = await asyncio.gather(w, p, return_exceptions=True)
    print([type(r).__name__ if isinstance(r, BaseException) else r for r in results])

asyncio.run(main())
