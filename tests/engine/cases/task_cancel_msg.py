# cancel(msg) reaches the coroutine as CancelledError(msg), and the task's
# result() raises a CancelledError with the same message.
import asyncio

async def sleeper():
    try:
        await asyncio.sleep(3)
    except asyncio.CancelledError as e:
        print("inside:", repr(e), e.args)
        raise

async def main():
    t = asyncio.create_task(sleeper())
    await asyncio.sleep(0)
    t.cancel("first message")
    t.cancel("second message")
    try:
        await t
    except asyncio.CancelledError as e:
        print("awaiter:", repr(e))
    try:
        t.result()
    except asyncio.CancelledError as e:
        print("result:", repr(e))
    try:
        t.exception()
    except asyncio.CancelledError as e:
        print("exception:", repr(e))

asyncio.run(main())
