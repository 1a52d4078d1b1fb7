# The main coroutine cancelled from inside: asyncio.run raises
# CancelledError, exit status 1.
import asyncio

async def main():
    me = asyncio.current_task()
    asyncio.get_running_loop().call_later(1, me.cancel)
    print("sleeping")
    await asyncio.sleep(5)
    print("never")

asyncio.run(main())
