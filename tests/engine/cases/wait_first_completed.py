# wait(return_when=FIRST_COMPLETED): returns as soon as one task is done;
# done/pending are sets, printed sorted.
import asyncio

async def work(name, delay):
    await asyncio.sleep(delay)
    print(name, "finished at", asyncio.get_running_loop().time())
    return name

def names(tasks):
    return sorted(t.get_name() for t in tasks)

async def main():
    loop = asyncio.get_running_loop()
    tasks = [asyncio.create_task(work(n, d), name=n)
             for n, d in (("a", 2), ("b", 1), ("c", 1.5))]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    print("done", names(done), "pending", names(pending), "at", loop.time())
    print("results", [t.result() for t in done])
    done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
    print("done", names(done), "pending", names(pending), "at", loop.time())

asyncio.run(main())
