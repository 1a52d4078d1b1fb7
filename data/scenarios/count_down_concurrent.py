# title: Count-downs that take turns (create_task and wait)
# description: The same three count-downs as count_down_sequential.py, but each
# description: one pauses with await asyncio.sleep. While one task waits, the
# description: loop runs the others, so their lines interleave and the program
# description: takes only as long as the slowest count-down. The tasks are
# description: started with create_task and collected with asyncio.wait.
import asyncio
import time

async def count_down(name, delay):
    indents = (ord(name) - ord("A")) * "\t"
    n = 3
    while n:
        await asyncio.sleep(delay)
        duration = time.perf_counter() - start
        print(f"{duration:>4.1f}\t{indents}{name} = {n}")
        n -= 1

async def main():
    tasks = [asyncio.create_task(count_down("A", 1)),
             asyncio.create_task(count_down("B", 0.8)),
             asyncio.create_task(count_down("C", 0.5))]
    done, pending = await asyncio.wait(tasks)
    print(f"{len(done)} done, {len(pending)} pending")

start = time.perf_counter()
asyncio.run(main())
print(f"finished after {time.perf_counter() - start:.1f} seconds")
