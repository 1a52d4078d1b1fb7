# exec_cancel_callbacks.py - cancel() succeeds only for a job not yet
# started; a cancelled future is done, cancelled, and its result() raises
# concurrent.futures.CancelledError.  add_done_callback: callbacks run in
# the order they were added when the job ends (in the worker thread, at
# the job's end), at once when the future is already done or is cancelled.
# The repr shows the state (the address differs from run to run).  The
# callbacks only take notes: printing from the worker thread while the
# main program prints would race in CPython.
# reference: real-time CPython (the oracle's clock is not per thread)
import time
from concurrent.futures import ThreadPoolExecutor, CancelledError

start = time.perf_counter()

def clock():
    return round((time.perf_counter() - start) * 5) / 5

def work(name, delay):
    time.sleep(delay)
    return name

def state(f):
    r = repr(f)
    return r.startswith("<Future at 0x"), r.split(" state=")[1]

notes = []

def report(tag):
    def callback(f):
        if f.cancelled():
            notes.append(f"{tag}: cancelled, at {clock()}")
        else:
            notes.append(f"{tag}: {f.result()} at {clock()}")
    return callback

ex = ThreadPoolExecutor(max_workers=1)
running = ex.submit(work, "running", 0.4)
queued = ex.submit(work, "queued", 0.4)
running.add_done_callback(report("first"))
running.add_done_callback(report("second"))
queued.add_done_callback(report("queued's"))
time.sleep(0.2)
print("states:", state(running), state(queued))
print("cancel running:", running.cancel(), running.running())
print("cancel queued:", queued.cancel(), notes)
print("cancel again:", queued.cancel())
print("queued:", queued.done(), queued.cancelled(), queued.running(), state(queued))
try:
    queued.result()
except CancelledError as e:
    print("CancelledError", repr(e), isinstance(e, Exception))
try:
    queued.exception(timeout=1)
except CancelledError:
    print("exception() raises it too")
print("waiting at", clock())
print("result:", running.result(), "at", clock())
print("state:", state(running))
ex.shutdown()
running.add_done_callback(report("late"))
for note in notes:
    print(" ", note)
print("cancelled() of a finished one:", running.cancelled(), running.exception())
