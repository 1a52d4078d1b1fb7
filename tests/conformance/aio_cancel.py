# Cancelling a task: CancelledError inside it (with the message passed to
# cancel), cleanup in finally, and the canceller seeing CancelledError too.
import asyncio

async def worker():
    try:
        print("worker sleeping")
        await asyncio.sleep(10)
    except asyncio.CancelledError as e:
        print("worker got CancelledError, args =", e.args)
        raise
    finally:
        print("worker cleanup at", asyncio.get_running_loop().time())

async def main():
    t = asyncio.create_task(worker())
    await asyncio.sleep(1)
    print("cancel returns", t.cancel("stop now"))
    print("cancelling() =", t.cancelling())
    try:
        await t
    except asyncio.CancelledError as e:
        print("main saw", repr(e))
    print(t.cancelled(), t.done(), t.cancel())
    t2 = asyncio.create_task(worker())
    await asyncio.sleep(0)
    t2.cancel()
    await asyncio.sleep(0)
    print(t2.cancelled())
    try:
        t2.result()
    except asyncio.CancelledError as e:
        print("result() raised CancelledError", e.args)

asyncio.run(main())
