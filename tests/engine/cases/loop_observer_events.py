# A small program touching every kind of scheduler event: tasks, steps,
# timers, a cancellation with a message, a future set by a timer, output.
import asyncio

async def child():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("child cancelled")
        raise

async def main():
    loop = asyncio.get_running_loop()
    t = asyncio.create_task(child())
    await asyncio.sleep(1)
    print("main at", loop.time())
    t.cancel("bye")
    try:
        await t
    except asyncio.CancelledError:
        print("main saw cancel")
    f = loop.create_future()
    loop.call_later(0.5, f.set_result, 7)
    print(await f)

asyncio.run(main())
