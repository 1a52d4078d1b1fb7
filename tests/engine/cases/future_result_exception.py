# Future.result()/exception() before and after set_result/set_exception.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    print(f.done(), f.cancelled())
    for meth in (f.result, f.exception):
        try:
            meth()
        except asyncio.InvalidStateError as e:
            print("pending:", repr(e))
    f.set_result(42)
    print(f.done(), f.result(), f.exception())
    g = loop.create_future()
    g.set_exception(ValueError("bad", 7))
    print(repr(g.exception()))
    try:
        g.result()
    except ValueError as e:
        print("raised", repr(e), e.args)
    print(await f)
    try:
        await g
    except ValueError as e:
        print("await raised", repr(e))

asyncio.run(main())
