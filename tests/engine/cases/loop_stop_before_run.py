# stop() before run_forever(): exactly one iteration runs, so callbacks
# queued by it wait for the next run.
import asyncio

loop = asyncio.new_event_loop()
def first():
    print("first")
    loop.call_soon(print, "second")
loop.call_soon(first)
loop.stop()
loop.run_forever()
print("between runs")
loop.stop()
loop.run_forever()
print("end", loop.time())
loop.close()
