# notify() is called but its coroutine is never awaited: it never runs.
# Finding: never-awaited, line 11.
import asyncio

async def notify(who):
    print(f"notifying {who}")

async def main():
    await asyncio.sleep(0.1)
    # forgot the await:
    notify("admin")
    await asyncio.sleep(0.1)

asyncio.run(main())
