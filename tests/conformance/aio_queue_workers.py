# The documentation's worker pool: three workers take sleep times from a
# queue, join() waits for all of them, then the workers are cancelled.
import asyncio

async def worker(name, queue, log):
    while True:
        sleep_for = await queue.get()
        await asyncio.sleep(sleep_for)
        queue.task_done()
        log.append((name, sleep_for))
        print(f"{name} has slept for {sleep_for:.2f} seconds")

async def main():
    queue = asyncio.Queue()
    for d in [0.5, 1.25, 0.75, 2.0, 0.25, 1.5, 1.0]:
        queue.put_nowait(d)
    log = []
    tasks = [asyncio.create_task(worker(f"worker-{i}", queue, log)) for i in range(3)]
    started = asyncio.get_running_loop().time()
    await queue.join()
    total = asyncio.get_running_loop().time() - started
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    print("====")
    print(f"3 workers slept in parallel for {total:.2f} seconds")
    print(f"total expected sleep time: {sum(d for _, d in log):.2f} seconds")

asyncio.run(main())
