# run_until_complete() whose loop is stopped before the future is done.
import asyncio

async def slow():
    await asyncio.sleep(5)
    return "slow"

loop = asyncio.new_event_loop()
loop.call_later(1, loop.stop)
try:
    loop.run_until_complete(slow())
except RuntimeError as e:
    print("RuntimeError:", e)
print(loop.time())
print(loop.run_until_complete(asyncio.sleep(0.5, "then")), loop.time())
print(len(asyncio.all_tasks(loop)))
print(loop.run_until_complete(asyncio.gather(*asyncio.all_tasks(loop))), loop.time())
loop.close()
