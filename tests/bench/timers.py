# timers.py - benchmark: 100,000 tasks each sleeping a distinct random delay
# (uniform in [0, 100) seconds, fixed seed), gathered by the main task.
#
# Run it through the oracle with C tasks, as tests/bench/run.sh does:
#     PYENV_VERSION=3.12.1 python3 ../shared/tools/cpython_oracle.py \
#         --c-tasks tests/bench/timers.py
# Virtual time makes the hundred seconds pass at once.  The real elapsed
# time is read with clock_gettime(CLOCK_MONOTONIC), which the oracle does
# not virtualise.  The peak resident set (VmHWM) is read before and after
# the tasks are created and after the run, for the memory per live task.
import asyncio
import random
import time

NTASKS = 100_000
MAX_DELAY = 100.0


def real_ns():
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC)


def vm_hwm():
    """Peak resident set size of this process, in bytes."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


hwm = {}


async def worker(delay):
    await asyncio.sleep(delay)


async def main():
    rng = random.Random(20260101)
    delays = [rng.random() * MAX_DELAY for _ in range(NTASKS)]
    hwm["before"] = vm_hwm()
    outer = asyncio.gather(*(worker(d) for d in delays))
    hwm["created"] = vm_hwm()
    await outer


t0 = real_ns()
asyncio.run(main())
elapsed = (real_ns() - t0) / 1e9
hwm["peak"] = vm_hwm()

# Task steps: two per worker (start, timer fired), two for main, one each
# for the Runner's two shutdown tasks.
steps = NTASKS * 2 + 2 + 2
print(f"RESULT program=timers impl=cpython steps={steps} seconds={elapsed:.6f} "
      f"steps_per_s={steps / elapsed:.0f} tasks={NTASKS} "
      f"hwm_before={hwm['before']} hwm_created={hwm['created']} hwm_peak={hwm['peak']} "
      f"bytes_per_task_created={(hwm['created'] - hwm['before']) / NTASKS:.0f} "
      f"bytes_per_task_peak={(hwm['peak'] - hwm['before']) / NTASKS:.0f}")
