# title: Coroutines inside coroutines, collected with wait
# description: Each job is a coroutine that awaits two smaller coroutines, one
# description: after the other, inside its own task. main starts three such
# description: jobs as tasks and uses asyncio.wait with FIRST_COMPLETED to
# description: react to the first job that finishes before waiting for the rest.
import asyncio

async def fetch(job, part, seconds):
    await asyncio.sleep(seconds)
    print(f"  {job}: fetched {part}")
    return seconds

async def job(name, a, b):
    first = await fetch(name, "header", a)
    second = await fetch(name, "body", b)
    return f"{name} took {first + second} s"

async def main():
    loop = asyncio.get_running_loop()
    tasks = [asyncio.create_task(job("alpha", 1, 2)),
             asyncio.create_task(job("beta", 0.5, 0.5)),
             asyncio.create_task(job("gamma", 2, 0.25))]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for t in done:
        print(f"t={loop.time()}: first finished: {t.result()}")
    print(f"still running: {len(pending)}")
    done, pending = await asyncio.wait(pending)
    for result in sorted(t.result() for t in done):
        print(f"t={loop.time()}: later: {result}")

asyncio.run(main())
