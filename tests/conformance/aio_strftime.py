# time.strftime and time.time inside coroutines follow virtual time from
# the default epoch 2026-01-01 00:00:00 UTC.
import asyncio
import time

async def log(msg):
    print(time.strftime("%H:%M:%S"), msg)

async def main():
    await log("start")
    await asyncio.sleep(90)
    await log("after 90 s")
    await asyncio.sleep(86400)
    await log("a day later: " + time.strftime("%Y-%m-%d"))
    print(time.time())

asyncio.run(main())
