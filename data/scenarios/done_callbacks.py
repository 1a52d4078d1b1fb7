# title: Being told when a task finishes (done callbacks and partial)
# description: Instead of awaiting its tasks, main attaches a callback to each
# description: one with add_done_callback. The loop calls it right after the
# description: task finishes; functools.partial lets the callback receive an
# description: extra argument (here, a label) besides the finished task.
import asyncio
from functools import partial

def announce(label, task):
    print(f"[{label}] {task.get_name()} finished with {task.result()!r}")

async def brew(drink, seconds):
    await asyncio.sleep(seconds)
    return f"{drink} ready"

async def main():
    orders = [("tea", 3), ("espresso", 1), ("cocoa", 2)]
    tasks = []
    for number, (drink, seconds) in enumerate(orders, 1):
        task = asyncio.create_task(brew(drink, seconds), name=f"order-{number}")
        task.add_done_callback(partial(announce, f"counter {number}"))
        tasks.append(task)
    print("all orders placed")
    await asyncio.sleep(4)
    print("closing the shop")

asyncio.run(main())
