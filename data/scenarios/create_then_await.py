# title: Start everything first, then await one by one
# description: Two greetings are scheduled with create_task before main awaits
# description: anything. Both start running as soon as main yields, so awaiting
# description: them one after the other still takes two seconds in total, not
# description: three: creating the task is what starts the work, not awaiting it.
import asyncio
import time

async def say_after(delay, what):
    await asyncio.sleep(delay)
    print(what)

async def main():
    task1 = asyncio.create_task(say_after(1, "hello"))
    task2 = asyncio.create_task(say_after(2, "world"))
    print(f"started at {time.strftime('%X')}")
    await task1
    await task2
    print(f"finished at {time.strftime('%X')}")

asyncio.run(main())
