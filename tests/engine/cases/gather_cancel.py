# Cancelling the future gather() returned cancels the children still
# running; the one already finished keeps its result.
import asyncio

async def child(name, delay):
    try:
        await asyncio.sleep(delay)
        return name
    except asyncio.CancelledError:
        print(name, "cancelled at", asyncio.get_running_loop().time())
        raise

async def main():
    tasks = [asyncio.create_task(child(n, d), name=n) for n, d in (("a", 1), ("b", 5), ("c", 5))]
    g = asyncio.gather(*tasks)
    await asyncio.sleep(2)
    print("cancel returned", g.cancel())
    try:
        await g
    except asyncio.CancelledError:
        print("gather cancelled", g.cancelled())
    print([(t.get_name(), t.cancelled()) for t in tasks])
    print("a result", tasks[0].result())

asyncio.run(main())
