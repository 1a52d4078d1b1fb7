# run_until_complete() and run_forever() inside a running loop fail before
# doing anything: no task is created for the coroutine.
import asyncio

async def other():
    print("other ran")

async def main():
    loop = asyncio.get_running_loop()
    c = other()
    try:
        loop.run_until_complete(c)
    except RuntimeError as e:
        print("RuntimeError:", e)
    try:
        loop.run_forever()
    except RuntimeError as e:
        print("RuntimeError:", e)
    second = asyncio.new_event_loop()
    try:
        second.run_until_complete(c)
    except RuntimeError as e:
        print("RuntimeError:", e)
    print(len(asyncio.all_tasks()), len(asyncio.all_tasks(second)))
    second.close()
    c.close()
    await asyncio.sleep(0)
    print("end")

asyncio.run(main())
