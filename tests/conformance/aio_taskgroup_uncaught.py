# An ExceptionGroup from a TaskGroup that nobody catches: exit status 1,
# the last line names the group and its sub-exception count.
import asyncio

async def fail(msg, delay):
    await asyncio.sleep(delay)
    raise RuntimeError(msg)

async def main():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(fail("first", 1))
        tg.create_task(fail("second", 1))
    print("never")

asyncio.run(main())
