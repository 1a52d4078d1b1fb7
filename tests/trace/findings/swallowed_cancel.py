# stubborn() catches the CancelledError main's cancel() sent it and returns
# a result.  Finding: swallowed-cancel for stubborn().
import asyncio

async def stubborn():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("not today")
    return "still here"

async def main():
    t = asyncio.create_task(stubborn())
    await asyncio.sleep(1)
    t.cancel()
    print(await t)

asyncio.run(main())
