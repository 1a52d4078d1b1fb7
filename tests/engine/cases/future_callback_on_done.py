# add_done_callback on a done future schedules it with call_soon: it runs
# after what is already queued, not at once.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    f.set_result("ok")
    loop.call_soon(print, "queued first")
    f.add_done_callback(lambda fut: print("callback", fut.result()))
    print("added")
    await asyncio.sleep(0)
    print("after sleep(0)")

asyncio.run(main())
