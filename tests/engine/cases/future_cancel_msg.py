# cancel(msg): the CancelledError raised by result(), exception() and await
# carries the message; cancel() without one gives CancelledError().
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    print(f.cancel("bye"), f.cancelled(), f.done())
    try:
        f.result()
    except asyncio.CancelledError as e:
        print("result:", repr(e), e.args)
    try:
        f.exception()
    except asyncio.CancelledError as e:
        print("exception:", repr(e), e.args)
    g = loop.create_future()
    g.cancel()
    try:
        await g
    except asyncio.CancelledError as e:
        print("await:", repr(e), e.args)
    h = loop.create_future()
    loop.call_later(1, h.cancel, "late")
    try:
        await h
    except asyncio.CancelledError as e:
        print("late:", repr(e), loop.time())

asyncio.run(main())
