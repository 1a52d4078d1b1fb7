# time.sleep() inside a task blocks the whole loop: the three count-downs
# run one after the other and the program takes 9 seconds, not 3.
import asyncio
import time

async def count_down(name, n):
    loop = asyncio.get_running_loop()
    for i in range(n, 0, -1):
        print(name, i, "at", loop.time())
        time.sleep(1)
    return name

async def main():
    loop = asyncio.get_running_loop()
    results = await asyncio.gather(count_down("A", 3), count_down("B", 3),
                                   count_down("C", 3))
    print(results, "finished at", loop.time())

asyncio.run(main())
