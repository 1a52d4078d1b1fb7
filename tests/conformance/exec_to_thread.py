# asyncio.to_thread and loop.run_in_executor(None, ...) run plain functions
# (with positional and keyword arguments, through functools.partial too) on
# the default executor's worker threads; gather collects the results in
# order.  The functions do not sleep, so CPython's real threads cannot make
# the output differ from run to run.
import asyncio
from functools import partial

def total(a, b, scale=1):
    return (a + b) * scale

def describe(name, *, loud=False):
    return name.upper() if loud else name

async def main():
    loop = asyncio.get_running_loop()
    results = await asyncio.gather(
        asyncio.to_thread(total, 1, 2),
        asyncio.to_thread(total, 3, 4, scale=10),
        loop.run_in_executor(None, total, 5, 6),
        loop.run_in_executor(None, partial(describe, "worker", loud=True)),
        asyncio.to_thread(sum, [1, 2, 3]),
    )
    print(results)
    print(await asyncio.to_thread(describe, "again"))

asyncio.run(main())
