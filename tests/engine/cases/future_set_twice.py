# Setting a done future again raises InvalidStateError; a cancelled one too.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    f.set_result("first")
    for action in (lambda: f.set_result("second"),
                   lambda: f.set_exception(KeyError("k"))):
        try:
            action()
        except asyncio.InvalidStateError as e:
            print(type(e).__name__, str(e))
    print(f.result())
    c = loop.create_future()
    print(c.cancel())
    try:
        c.set_result(1)
    except asyncio.InvalidStateError as e:
        print("cancelled:", repr(e))
    print(c.cancel(), f.cancel())

asyncio.run(main())
