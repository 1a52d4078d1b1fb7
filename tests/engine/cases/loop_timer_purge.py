# More than 100 timers with over half cancelled: _run_once rebuilds the
# heap (heapify), which changes the order of equal deadlines.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    handles = []
    for i in range(150):
        when = 1.0 + (i * 7) % 5
        handles.append(loop.call_at(when, print, i, when))
    for i, h in enumerate(handles):
        if i % 3 != 0:
            h.cancel()
    await asyncio.sleep(0)
    # a second wave, after the purge, at the same deadlines
    for i in range(150, 170):
        when = 1.0 + (i * 7) % 5
        loop.call_at(when, print, i, when)
    await asyncio.sleep(10)

asyncio.run(main())
