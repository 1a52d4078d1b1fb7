# gather with return_exceptions=True puts exceptions in the result list;
# without it the first exception propagates and the others keep running.
import asyncio

async def ok(n):
    await asyncio.sleep(n)
    print("ok", n, "finished")
    return n

async def fail(n):
    await asyncio.sleep(n)
    raise ValueError(f"fail after {n}")

async def main():
    results = await asyncio.gather(ok(1), fail(2), ok(3), return_exceptions=True)
    print(results)
    try:
        await asyncio.gather(ok(1), fail(2), ok(3))
    except ValueError as e:
        print("gather raised:", repr(e), "at", asyncio.get_running_loop().time())
    await asyncio.sleep(2)
    print("end at", asyncio.get_running_loop().time())

asyncio.run(main())
