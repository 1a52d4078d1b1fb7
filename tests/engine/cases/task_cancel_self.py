# A task cancelling itself while it runs: if it then returns it ends
# cancelled anyway; if it then awaits a future, that future is cancelled at
# once with the message.
import asyncio

async def cancel_then_return():
    asyncio.current_task().cancel("self")
    return 5

async def cancel_then_await():
    fut = asyncio.get_running_loop().create_future()
    asyncio.current_task().cancel("again")
    try:
        await fut
    except asyncio.CancelledError as e:
        print("await cancelled", e.args, fut.cancelled())
        raise

async def main():
    for coro in (cancel_then_return(), cancel_then_await()):
        t = asyncio.create_task(coro)
        try:
            print(await t)
        except asyncio.CancelledError as e:
            print(t.get_name(), "cancelled", repr(e), t.cancelling())

asyncio.run(main())
