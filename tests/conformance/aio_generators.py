# Plain generators used as iterators inside coroutines, driving a
# sequence of sleeps.
import asyncio

def delays(n):
    for i in range(1, n + 1):
        yield i / 4

async def walker(name, n):
    for d in delays(n):
        await asyncio.sleep(d)
        print(name, "slept", d, "now", asyncio.get_running_loop().time())
    return sum(delays(n))

async def main():
    print(await asyncio.gather(walker("a", 3), walker("b", 2)))

asyncio.run(main())
