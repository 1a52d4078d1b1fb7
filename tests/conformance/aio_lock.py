# asyncio.Lock: tasks take it in FIFO order; the critical sections do not
# interleave even though they sleep inside.
import asyncio

async def critical(lock, name, shared):
    print(name, "waiting")
    async with lock:
        print(name, "acquired at", asyncio.get_running_loop().time())
        value = shared["n"]
        await asyncio.sleep(1)
        shared["n"] = value + 1
        print(name, "releasing")

async def main():
    lock = asyncio.Lock()
    shared = {"n": 0}
    await asyncio.gather(*(critical(lock, f"t{i}", shared) for i in range(3)))
    print("n =", shared["n"], "locked:", lock.locked())
    await lock.acquire()
    print("manual acquire:", lock.locked())
    lock.release()
    try:
        lock.release()
    except RuntimeError as e:
        print("RuntimeError:", e)

asyncio.run(main())
