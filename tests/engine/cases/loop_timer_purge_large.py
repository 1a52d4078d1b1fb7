# The purge of cancelled timers with more than 2500 left: CPython's heapify
# switches to its cache-friendly variant there, which arranges equal
# deadlines differently; the firing order shows it.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    order = []
    handles = []
    for i in range(6000):
        when = 1.0 + (i * 7919) % 3
        handles.append(loop.call_at(when, order.append, i))
    for i, h in enumerate(handles):
        if i % 2 == 0 or i % 7 == 0:
            h.cancel()
    await asyncio.sleep(10)
    print(len(order), order[:12], order[-4:])
    print(sum((pos + 1) * i for pos, i in enumerate(order)) % 1000000007)

asyncio.run(main())
