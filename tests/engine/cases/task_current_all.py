# current_task() inside each task, all_tasks() with the pending ones.
import asyncio

async def child(n):
    t = asyncio.current_task()
    print("child", n, t.get_name())
    await asyncio.sleep(n)
    print("child", n, "sees", sorted(x.get_name() for x in asyncio.all_tasks()))

async def main():
    me = asyncio.current_task()
    print("main is", me.get_name())
    ts = [asyncio.create_task(child(n)) for n in (1, 2)]
    print(sorted(x.get_name() for x in asyncio.all_tasks()))
    await asyncio.gather(*ts)
    print(sorted(x.get_name() for x in asyncio.all_tasks()), asyncio.current_task() is me)

asyncio.run(main())
