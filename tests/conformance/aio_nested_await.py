# Coroutines awaiting coroutines several levels deep run in one task: the
# step trace shows a single task although four coroutines run.
import asyncio

async def leaf(n):
    await asyncio.sleep(n)
    print("leaf", n, "done at", asyncio.get_running_loop().time())
    return n * 10

async def branch(n):
    a = await leaf(n)
    b = await leaf(n / 2)
    return a + b

async def trunk():
    return [await branch(1), await branch(2)]

async def main():
    print(await trunk())
    print(asyncio.current_task().get_name())

asyncio.run(main())
