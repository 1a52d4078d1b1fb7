# wait(timeout=...): does not raise, leaves the slow tasks pending; a
# timeout that is not reached is cancelled.
import asyncio

async def ok(delay):
    await asyncio.sleep(delay)
    return delay

def names(tasks):
    return sorted(t.get_name() for t in tasks)

async def main():
    loop = asyncio.get_running_loop()
    a = asyncio.create_task(ok(1), name="a")
    b = asyncio.create_task(ok(5), name="b")
    c = asyncio.create_task(ok(3), name="c")
    done, pending = await asyncio.wait([a, b, c], timeout=2)
    print("done", names(done), "pending", names(pending), "at", loop.time())
    done, pending = await asyncio.wait([c], timeout=10)
    print("done", names(done), "pending", names(pending), "at", loop.time())
    b.cancel()
    done, pending = await asyncio.wait([b], timeout=0)
    print("done", names(done), "pending", names(pending), "at", loop.time())
    done, pending = await asyncio.wait([b])
    print("b cancelled", b.cancelled(), "at", loop.time())

asyncio.run(main())
