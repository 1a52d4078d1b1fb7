# title: Handling results as they arrive (as_completed)
# description: Four downloads of different lengths start together. Instead of
# description: waiting for all of them, as_completed hands back each one as soon
# description: as it finishes, so the quickest result is printed first, no
# description: matter where it stands in the list.
import asyncio

async def download(name, seconds):
    await asyncio.sleep(seconds)
    return f"{name} ({seconds} s)"

async def main():
    loop = asyncio.get_running_loop()
    jobs = [("report.pdf", 3), ("logo.png", 1), ("data.csv", 2.5), ("notes.txt", 0.5)]
    tasks = [asyncio.create_task(download(name, secs)) for name, secs in jobs]
    for position, next_done in enumerate(asyncio.as_completed(tasks), 1):
        result = await next_done
        print(f"#{position} at t={loop.time()}: {result}")

asyncio.run(main())
