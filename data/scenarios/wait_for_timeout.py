# title: Giving up on a one-hour sleep (wait_for)
# description: A coroutine wants to sleep for an hour, but the caller is only
# description: willing to wait one second. wait_for cancels the sleeper when the
# description: time is up and raises TimeoutError in the caller. The sleeper
# description: sees the cancellation as CancelledError and can clean up.
import asyncio

async def eternity():
    try:
        await asyncio.sleep(3600)
        print("yay!")
    except asyncio.CancelledError:
        print("eternity: cancelled, cleaning up")
        raise

async def main():
    loop = asyncio.get_running_loop()
    try:
        await asyncio.wait_for(eternity(), timeout=1.0)
    except TimeoutError:
        print(f"timeout! gave up at t={loop.time()}")

asyncio.run(main())
