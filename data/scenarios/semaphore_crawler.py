# title: A polite crawler (Semaphore)
# description: Eight pages are to be fetched, but the site asks for at most
# description: three requests at a time. A Semaphore(3) lets three fetches in;
# description: each further fetch waits at the door until one of them leaves.
import asyncio

PAGES = ["/", "/about", "/blog", "/blog/1", "/blog/2", "/contact", "/faq", "/shop"]

async def fetch(sem, path, active):
    loop = asyncio.get_running_loop()
    async with sem:
        active.append(path)
        print(f"t={loop.time()}: GET {path:<9} in flight: {len(active)}")
        await asyncio.sleep(0.5 + len(path) % 3 * 0.5)
        active.remove(path)
    return f"{path}: 200"

async def main():
    sem = asyncio.Semaphore(3)
    active = []
    results = await asyncio.gather(*(fetch(sem, p, active) for p in PAGES))
    print(results)

asyncio.run(main())
