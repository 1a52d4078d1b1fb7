# wait(return_when=FIRST_EXCEPTION): returns at the first task that raises;
# with no exception at all it waits for everything.
import asyncio

async def ok(delay):
    await asyncio.sleep(delay)
    return delay

async def bad(delay):
    await asyncio.sleep(delay)
    raise ValueError(f"bad after {delay}")

def names(tasks):
    return sorted(t.get_name() for t in tasks)

async def main():
    loop = asyncio.get_running_loop()
    t1 = asyncio.create_task(ok(1), name="ok1")
    t2 = asyncio.create_task(bad(2), name="bad2")
    t3 = asyncio.create_task(ok(3), name="ok3")
    t4 = asyncio.create_task(ok(4), name="ok4")
    done, pending = await asyncio.wait([t1, t2, t3, t4], return_when=asyncio.FIRST_EXCEPTION)
    print("done", names(done), "pending", names(pending), "at", loop.time())
    print("exception", repr(t2.exception()))
    done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_EXCEPTION)
    print("done", names(done), "pending", names(pending), "at", loop.time())

asyncio.run(main())
