# A bare yield gives way for one loop iteration, like sleep(0).
import asyncio
import types

@types.coroutine
def bare():
    yield

async def worker(name):
    for i in range(3):
        print(name, i)
        await bare()
    return name

async def main():
    r = await asyncio.gather(worker("A"), worker("B"))
    print(r)

asyncio.run(main())
