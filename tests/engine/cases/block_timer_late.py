# A blocked loop cannot fire timers: a call_later(1) callback and a task
# sleeping 1 second both run late, after main's time.sleep(2.5) returns;
# deadlines computed after the block start from the new time.
import asyncio
import time

async def sleeper(name, delay):
    loop = asyncio.get_running_loop()
    await asyncio.sleep(delay)
    print(name, "woke at", loop.time())

async def main():
    loop = asyncio.get_running_loop()
    loop.call_later(1, lambda: print("timer at", loop.time()))
    t = asyncio.create_task(sleeper("early", 1))
    await asyncio.sleep(0)
    time.sleep(2.5)
    print("main unblocked at", loop.time())
    u = asyncio.create_task(sleeper("late", 1))
    await t
    await u
    print("done at", loop.time())

asyncio.run(main())
