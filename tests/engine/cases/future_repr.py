# Future reprs in each state, with the callbacks listed.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    print(repr(f))
    f.add_done_callback(print)
    print(repr(f))
    f.add_done_callback(repr)
    f.add_done_callback(len)
    f.add_done_callback(str)
    print(repr(f))
    f.remove_done_callback(print)
    f.remove_done_callback(repr)
    f.remove_done_callback(len)
    f.remove_done_callback(str)
    f.set_result([1, "two", None])
    print(repr(f))
    g = loop.create_future()
    g.set_exception(RuntimeError("boom"))
    print(repr(g))
    g.exception()
    h = loop.create_future()
    h.cancel()
    print(repr(h))

asyncio.run(main())
