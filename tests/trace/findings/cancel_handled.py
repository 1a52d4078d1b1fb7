# Cancellations handled as intended: a task that cleans up (awaiting) and
# re-raises, a timeout that turns the cancellation into TimeoutError, and
# a task awaiting a cancelled task.  No finding.
import asyncio

async def careful():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        await asyncio.sleep(0.1)
        print("cleaned up")
        raise

async def main():
    t = asyncio.create_task(careful())
    await asyncio.sleep(1)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("careful() cancelled:", t.cancelled())
    try:
        async with asyncio.timeout(0.5):
            await asyncio.sleep(5)
    except TimeoutError:
        print("timed out")
    try:
        await asyncio.wait_for(asyncio.sleep(5), 0.5)
    except TimeoutError:
        print("wait_for timed out")

asyncio.run(main())
