# remove_done_callback removes every registration of the callback and says
# how many there were; the others keep their order.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    f.add_done_callback(print)
    f.add_done_callback(repr)
    f.add_done_callback(print)
    f.add_done_callback(len)
    print(repr(f))
    print(f.remove_done_callback(print))
    print(f.remove_done_callback(print))
    print(f.remove_done_callback(repr))
    print(repr(f))
    f.add_done_callback(lambda fut: print("left", fut.result()))
    print(f.remove_done_callback(len))
    f.set_result(3)
    await asyncio.sleep(0)
    print(f.remove_done_callback(print))

asyncio.run(main())
