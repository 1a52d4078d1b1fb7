# executor.submit inside a coroutine, awaited through asyncio.wrap_future,
# and the executor used as a context manager (its exit waits for the
# workers).  Results are printed by the task, in a fixed order, and one
# gather waits for them all, so the task's steps do not depend on when
# CPython's real threads finish.
import asyncio
import concurrent.futures

def square(n):
    return n * n

async def main():
    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
        futures = [pool.submit(square, n) for n in range(5)]
        results = await asyncio.gather(*[asyncio.wrap_future(f) for f in futures])
    print(results)
    print("done at", asyncio.get_running_loop().time())

asyncio.run(main())
