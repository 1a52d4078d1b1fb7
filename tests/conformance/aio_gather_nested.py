# gather of gathers: results nest the same way; an exception deep inside
# reaches the outer await (it fails last, so no task is left over at the end).
import asyncio

async def value(v, delay):
    await asyncio.sleep(delay)
    return v

async def failing(delay):
    await asyncio.sleep(delay)
    raise OSError("deep failure")

async def main():
    inner1 = asyncio.gather(value(1, 0.5), value(2, 0.25))
    inner2 = asyncio.gather(value("a", 1), value("b", 0.75))
    print(await asyncio.gather(inner1, inner2, value(None, 0.1)))
    try:
        await asyncio.gather(value(0, 1), asyncio.gather(value(0, 1), failing(1.5)))
    except OSError as e:
        print("outer gather raised", repr(e), "at", asyncio.get_running_loop().time())

asyncio.run(main())
