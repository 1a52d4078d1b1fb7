# reference: gevent 22.10.2 under CPython 3.11
# greenlet beside asyncio: a generator-like greenlet driven from a task.
import asyncio
from greenlet import greenlet

def producer():
    for i in range(3):
        print("greenlet yields", i)
        main_g.switch(i)
    return "done"

async def main():
    g = greenlet(producer)
    for _ in range(4):
        v = g.switch()
        print("task got", v)
        await asyncio.sleep(0.5)
    print("dead:", g.dead)

main_g = greenlet.getcurrent()
asyncio.run(main())
