# sleep0.py - benchmark: 10,000 tasks each doing 100 `await asyncio.sleep(0)`
# (a million task steps), gathered by the main task.
#
# Run it through the oracle with C tasks, as tests/bench/run.sh does:
#     PYENV_VERSION=3.12.1 python3 ../shared/tools/cpython_oracle.py \
#         --c-tasks tests/bench/sleep0.py
# The oracle makes perf_counter, monotonic and time virtual, so the real
# elapsed time is read with clock_gettime(CLOCK_MONOTONIC), which it leaves
# alone (and which is the clock the engine's g_get_monotonic_time reads).
import asyncio
import time

NTASKS = 10_000
NSLEEPS = 100


def real_ns():
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC)


async def worker():
    for _ in range(NSLEEPS):
        await asyncio.sleep(0)


async def main():
    await asyncio.gather(*(worker() for _ in range(NTASKS)))


t0 = real_ns()
asyncio.run(main())
elapsed = (real_ns() - t0) / 1e9

# Task steps: each worker is stepped once per sleep(0) and once more to
# return; main twice (start, gather done); the Runner's shutdown_asyncgens
# and shutdown_default_executor tasks once each.  The engine counts the same.
steps = NTASKS * (NSLEEPS + 1) + 2 + 2
print(f"RESULT program=sleep0 impl=cpython steps={steps} seconds={elapsed:.6f} "
      f"steps_per_s={steps / elapsed:.0f}")
