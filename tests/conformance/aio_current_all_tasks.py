# current_task and all_tasks: which task is running, and the set of
# unfinished tasks (printed by name, sorted).
import asyncio

async def child(n):
    me = asyncio.current_task()
    print("child", n, "is", me.get_name())
    await asyncio.sleep(n)

async def main():
    main_task = asyncio.current_task()
    print("main is", main_task.get_name())
    tasks = [asyncio.create_task(child(n)) for n in (1, 2)]
    await asyncio.sleep(0)
    print(sorted(t.get_name() for t in asyncio.all_tasks()))
    await asyncio.sleep(1.5)
    print(sorted(t.get_name() for t in asyncio.all_tasks()))
    await asyncio.gather(*tasks)
    print([t.get_name() for t in asyncio.all_tasks()], main_task in asyncio.all_tasks())
    print(asyncio.current_task() is main_task)

asyncio.run(main())
