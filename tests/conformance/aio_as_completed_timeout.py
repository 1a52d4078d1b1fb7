# as_completed with a timeout raises TimeoutError for the awaitables not
# done in time (asyncio.run cancels the late task on the way out).
import asyncio

async def fetch(delay):
    await asyncio.sleep(delay)
    return delay

async def main():
    got = []
    try:
        tasks = [asyncio.create_task(fetch(d)) for d in (3, 1, 5)]
        for fut in asyncio.as_completed(tasks, timeout=4):
            got.append(await fut)
            print("got", got[-1])
    except TimeoutError:
        print("timed out with", got, "at", asyncio.get_running_loop().time())

asyncio.run(main())
