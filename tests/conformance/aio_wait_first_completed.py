# asyncio.wait with FIRST_COMPLETED returns as soon as one task is done;
# the rest stay pending and keep running.
import asyncio

async def job(name, delay):
    await asyncio.sleep(delay)
    return name

async def main():
    tasks = [asyncio.create_task(job(n, d), name=n)
             for n, d in [("a", 3), ("b", 1), ("c", 2)]]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    print("done:", sorted(t.get_name() for t in done))
    print("pending:", sorted(t.get_name() for t in pending))
    print("time", asyncio.get_running_loop().time())
    for t in done:
        print(t.get_name(), "->", t.result())
    done, pending = await asyncio.wait(pending)
    print(sorted(t.result() for t in done), len(pending))
    print("time", asyncio.get_running_loop().time())

asyncio.run(main())
