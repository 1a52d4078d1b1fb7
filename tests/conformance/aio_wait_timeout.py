# asyncio.wait with a timeout does not raise: it returns what finished in
# time and leaves the rest pending (and running).
import asyncio

async def job(n):
    await asyncio.sleep(n)
    print("job", n, "finished at", asyncio.get_running_loop().time())
    return n

async def main():
    tasks = [asyncio.create_task(job(n)) for n in (1, 2, 5)]
    done, pending = await asyncio.wait(tasks, timeout=2.5)
    print("after wait:", sorted(t.result() for t in done), len(pending))
    print("now", asyncio.get_running_loop().time())
    await asyncio.sleep(3)
    print([t.done() for t in tasks])

asyncio.run(main())
