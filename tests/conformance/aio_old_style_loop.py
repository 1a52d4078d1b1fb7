# The pre-asyncio.run style: new_event_loop, set_event_loop,
# get_event_loop, run_until_complete, close.  (get_event_loop is called
# after set_event_loop: without a current loop CPython 3.12 also prints a
# DeprecationWarning, which the oracle does not reproduce.)
import asyncio

async def hello(n):
    await asyncio.sleep(n)
    print("hello after", n)
    return n

loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
print(asyncio.get_event_loop() is loop)
print(loop.run_until_complete(hello(1)))
print(loop.run_until_complete(asyncio.gather(hello(2), hello(1))))
t = loop.create_task(hello(0.5))
print(loop.run_until_complete(t), t.get_name())
print(loop.time(), loop.is_running(), loop.is_closed())
loop.close()
print(loop.is_closed())
