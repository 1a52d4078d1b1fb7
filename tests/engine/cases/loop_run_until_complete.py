# The old style: new_event_loop() and run_until_complete() with a
# coroutine, then with a future resolved by a timer, then run_forever()
# stopped by a callback.
import asyncio

async def work(n):
    await asyncio.sleep(n)
    print("worked", n, asyncio.get_running_loop().time())
    return n * 10

loop = asyncio.new_event_loop()
print(loop.run_until_complete(work(1)))
fut = loop.create_future()
loop.call_later(2, fut.set_result, "timer result")
print(loop.run_until_complete(fut))
loop.call_soon(print, "soon")
loop.call_later(1.5, loop.stop)
loop.call_later(2, print, "not yet")
loop.run_forever()
print("stopped at", loop.time())
loop.call_later(1, loop.stop)
loop.run_forever()
print("stopped again at", loop.time())
loop.close()
