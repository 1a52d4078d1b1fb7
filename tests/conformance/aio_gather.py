# gather returns results in argument order, not completion order; it accepts
# coroutines and tasks alike, and gather() of nothing is [].
import asyncio

async def job(name, delay):
    await asyncio.sleep(delay)
    print("finished", name)
    return f"{name}:{delay}"

async def main():
    results = await asyncio.gather(job("slow", 3), job("fast", 1), job("mid", 2))
    print(results)
    t = asyncio.create_task(job("task", 1))
    print(await asyncio.gather(t, job("coro", 0.5)))
    print(await asyncio.gather())
    print(await asyncio.gather(*[job(str(i), i / 10) for i in range(4)]))

asyncio.run(main())
