# A task cancelled before its first step never runs its body: the first
# step throws CancelledError into the fresh coroutine.
import asyncio

async def body():
    print("body ran")
    return 1

async def main():
    t1 = asyncio.create_task(body())
    t2 = asyncio.create_task(asyncio.sleep(5, "slept"))
    print(t1.cancel("early"), t2.cancel())
    for t in (t1, t2):
        try:
            print(await t)
        except asyncio.CancelledError as e:
            print(t.get_name(), "cancelled", repr(e))
    print(asyncio.get_running_loop().time())

asyncio.run(main())
