# The body of the TaskGroup raises: the pending child is cancelled, and
# the body's exception is raised inside an ExceptionGroup once the child
# is done.
import asyncio

async def child(name, delay):
    try:
        await asyncio.sleep(delay)
        print(name, "finished at", asyncio.get_running_loop().time())
    except asyncio.CancelledError:
        print(name, "cancelled at", asyncio.get_running_loop().time())
        await asyncio.sleep(0.25)
        print(name, "cleaned up at", asyncio.get_running_loop().time())
        raise

async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child("c0", 0.5))
            tg.create_task(child("c1", 2))
            await asyncio.sleep(1)
            raise RuntimeError("body failed")
    except ExceptionGroup as eg:
        print("caught at", loop.time(), repr(eg))
        print("cause:", eg.__cause__, "suppress:", eg.__suppress_context__)

asyncio.run(main())
