# Cancelled timers below the purge threshold stay in the heap and are only
# dropped when they reach its head: the order of equal deadlines is the
# heap's.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    handles = []
    for i in range(60):
        when = 1.0 + (i * 3) % 4
        handles.append(loop.call_at(when, print, i, when))
    for i, h in enumerate(handles):
        if i % 2:
            h.cancel()
    await asyncio.sleep(10)

asyncio.run(main())
