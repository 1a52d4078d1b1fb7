# asyncio.wait with ALL_COMPLETED (the default) and FIRST_EXCEPTION; done
# is a set, so results are sorted before printing.
import asyncio

async def job(n):
    await asyncio.sleep(n)
    if n == 2:
        raise RuntimeError("two failed")
    return n * n

async def main():
    tasks = [asyncio.create_task(job(n)) for n in (1, 3, 4)]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.ALL_COMPLETED)
    print(sorted(t.result() for t in done), pending)
    tasks = [asyncio.create_task(job(n)) for n in (1, 2, 3)]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    print(len(done), len(pending), asyncio.get_running_loop().time())
    for t in sorted(done, key=lambda t: t.get_name()):
        print(t.get_name(), repr(t.exception()))
    for t in pending:
        t.cancel()
    print(asyncio.ALL_COMPLETED, asyncio.FIRST_COMPLETED, asyncio.FIRST_EXCEPTION)

asyncio.run(main())
