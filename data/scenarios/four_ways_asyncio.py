# title: Same job four ways (2/4): asyncio
# description: The three downloads as coroutines in one thread: each awaits
# description: asyncio.sleep, which hands control back to the event loop, and
# description: gather runs the three side by side. The run takes 3 seconds,
# description: as long as the slowest download.
import asyncio
import time


async def download(name, seconds):
    print(f"{name}: start at {time.perf_counter():.1f}")
    await asyncio.sleep(seconds)
    print(f"{name}: done at {time.perf_counter():.1f}")
    return f"{name} ({seconds} s)"


async def main():
    start = time.perf_counter()
    results = await asyncio.gather(download("a", 1), download("b", 2), download("c", 3))
    print(f"{results} in {time.perf_counter() - start:.1f} s")


asyncio.run(main())
