# Done callbacks run in registration order, each through call_soon, in the
# iteration after set_result, and receive the future.
import asyncio

def make_cb(tag):
    def cb(fut):
        print("cb", tag, fut.result())
    return cb

async def main():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    for tag in "ABC":
        f.add_done_callback(make_cb(tag))
    loop.call_soon(print, "soon before")
    f.set_result(5)
    loop.call_soon(print, "soon after")
    print("set_result returned")
    await asyncio.sleep(0)
    print("main resumed")

asyncio.run(main())
