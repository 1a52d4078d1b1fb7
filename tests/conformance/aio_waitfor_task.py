# wait_for on a task that finishes in time returns its result; on a task
# that does not, the task itself is cancelled.
import asyncio

async def job(n):
    await asyncio.sleep(n)
    return n

async def main():
    quick = asyncio.create_task(job(1))
    print(await asyncio.wait_for(quick, timeout=2))
    slow = asyncio.create_task(job(5))
    try:
        await asyncio.wait_for(slow, timeout=2)
    except TimeoutError:
        print("slow cancelled:", slow.cancelled(), "at", asyncio.get_running_loop().time())
    try:
        await asyncio.wait_for(job(1), timeout=0)
    except TimeoutError:
        print("timeout=0 times out at once")

asyncio.run(main())
