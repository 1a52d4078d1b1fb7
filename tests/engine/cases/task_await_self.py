# A task awaiting itself gets RuntimeError thrown in.
import asyncio

async def selfish():
    try:
        await asyncio.current_task()
    except RuntimeError as e:
        print("RuntimeError", str(e).startswith("Task cannot await on itself"))
    return "ok"

async def main():
    print(await asyncio.create_task(selfish()))

asyncio.run(main())
