# asyncio.run returns the coroutine's result; sleep returns its result
# argument; awaiting a coroutine runs it inside the same task.
import asyncio

async def add(a, b):
    await asyncio.sleep(0.5)
    return a + b

async def main():
    x = await add(1, 2)
    y = await asyncio.sleep(1, result="slept")
    loop = asyncio.get_running_loop()
    print(x, y, loop.time())
    return "main result"

print(asyncio.run(main()))
