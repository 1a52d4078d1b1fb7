# reference: gevent 22.10.2 under CPython 3.11
# One greenlet switched to from two asyncio tasks in turn: every task runs
# in the main greenlet, so each switch back lands in the task that called.
import asyncio
from greenlet import greenlet, getcurrent

def counter():
    n = 0
    while True:
        n += 1
        print("counter at", n, "parent is main:", getcurrent().parent is main_g)
        main_g.switch(n)

main_g = getcurrent()
g = greenlet(counter)

async def user(name, delay):
    for _ in range(2):
        await asyncio.sleep(delay)
        print(name, "got", g.switch())

async def main():
    await asyncio.gather(user("A", 0.3), user("B", 0.5))
    print("counter dead:", g.dead)

asyncio.run(main())
print("end; main is current:", getcurrent() is main_g)
