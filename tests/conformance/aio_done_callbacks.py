# add_done_callback: callbacks run in registration order, after the task
# finishes, on a later loop iteration; partial supplies extra arguments;
# remove_done_callback returns how many it removed.
import asyncio
from functools import partial

def on_done(label, task):
    if task.cancelled():
        print(label, task.get_name(), "was cancelled")
    else:
        print(label, task.get_name(), "result", task.result())

async def job(n):
    await asyncio.sleep(n)
    return n * 100

async def main():
    t = asyncio.create_task(job(1), name="job-1")
    t.add_done_callback(partial(on_done, "first"))
    t.add_done_callback(partial(on_done, "second"))
    extra = partial(on_done, "removed")
    t.add_done_callback(extra)
    print("removed:", t.remove_done_callback(extra))
    await t
    print("after await")
    await asyncio.sleep(0)
    c = asyncio.create_task(job(5), name="job-5")
    c.add_done_callback(partial(on_done, "cb"))
    await asyncio.sleep(1)
    c.cancel()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    t.add_done_callback(partial(on_done, "late"))
    await asyncio.sleep(0)

asyncio.run(main())
