import asyncio


async def work(name, delay):
    await asyncio.sleep(delay)
    print(f"{name} done after {delay:.1f}s")
    return name


async def main():
    results = await asyncio.gather(work("a", 1), work("b", 0.5))
    print(results)


if __name__ == "__main__":
    asyncio.run(main())
