# run_in_executor runs a plain function in a worker thread and the task
# awaits its result (the function does no sleeping, so this is
# deterministic).
import asyncio
from concurrent.futures import ThreadPoolExecutor

def crunch(n):
    return sum(i * i for i in range(n))

async def main():
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(max_workers=1) as pool:
        r = await loop.run_in_executor(pool, crunch, 1000)
        print("result", r)
    print("executor closed, time", loop.time())

asyncio.run(main())
