# Awaiting a future of another loop: the task's step throws RuntimeError
# into the coroutine.
import asyncio

async def main():
    other = asyncio.new_event_loop()
    fut = other.create_future()
    try:
        await fut
    except RuntimeError as e:
        print("RuntimeError", "attached to a different loop" in str(e))
    other.close()
    print("still running")

asyncio.run(main())
