# lang-tasks.py - benchmark: 10,000 tasks gathered by the main task, each
# awaiting asyncio.sleep ten times with small delays that differ from task
# to task, so that the timer heap holds 10,000 distinct deadlines at once
# (100,000 timers in all, about 110,000 task steps).
#
# tests/bench/run-lang.sh times it under Loopscope and under CPython 3.12
# (the oracle, with C tasks) from outside each process; it reads no clock,
# since the oracle makes time virtual.  The checksum folds in the order in
# which the tasks woke up and the virtual time at the end, so the two runs
# agree only if they scheduled alike.
import asyncio

NTASKS = 10_000
NSLEEPS = 10

order = []


async def worker(i):
    # A base delay between 1 ms and 2 ms, different for every task, slept
    # once, twice or three times over.
    delay = 0.001 + i * 1e-7
    for k in range(NSLEEPS):
        await asyncio.sleep(delay * (1 + k % 3))
        order.append(i)
    return i * 2


async def main():
    loop = asyncio.get_running_loop()
    results = await asyncio.gather(*(worker(i) for i in range(NTASKS)))
    h = 0
    for i in order:
        h = (h * 31 + i) % 1000000007
    print(f"lang-tasks checksum={h} results={sum(results)} wakeups={len(order)} "
          f"t={loop.time():.6f}")


asyncio.run(main())
