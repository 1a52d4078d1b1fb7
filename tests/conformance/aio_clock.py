# loop.time(), time.perf_counter() and time.monotonic() all read the
# virtual clock; elapsed times print exactly.
import asyncio
import time

async def main():
    loop = asyncio.get_running_loop()
    t0 = time.perf_counter()
    m0 = time.monotonic()
    print("start", loop.time(), t0, m0)
    await asyncio.sleep(0.1)
    await asyncio.sleep(0.2)
    print("loop.time", loop.time())
    elapsed = time.perf_counter() - t0
    print(f"elapsed {elapsed:.3f} s, monotonic {time.monotonic() - m0:.3f} s")
    await asyncio.gather(asyncio.sleep(1.25), asyncio.sleep(0.75))
    print(f"total {time.perf_counter() - t0:0.2f} seconds")
    print(time.perf_counter() == loop.time() == time.monotonic())

asyncio.run(main())
