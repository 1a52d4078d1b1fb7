# title: Producer and consumers with a queue
# description: A baker puts loaves on a shelf that holds only two, and two
# description: sellers take them off. When the shelf is full the baker waits;
# description: when it is empty the sellers wait. queue.join() tells the baker
# description: when every loaf has been sold, and the sellers are then sent home
# description: by cancelling them.
import asyncio

async def baker(shelf, loaves):
    loop = asyncio.get_running_loop()
    for n in range(1, loaves + 1):
        await asyncio.sleep(0.5)
        await shelf.put(f"loaf {n}")
        print(f"t={loop.time()}: baked loaf {n}, shelf has {shelf.qsize()}")

async def seller(name, shelf):
    loop = asyncio.get_running_loop()
    while True:
        loaf = await shelf.get()
        await asyncio.sleep(1.5)
        print(f"t={loop.time()}: {name} sold {loaf}")
        shelf.task_done()

async def main():
    shelf = asyncio.Queue(maxsize=2)
    sellers = [asyncio.create_task(seller(name, shelf)) for name in ("Sam", "Ivy")]
    await baker(shelf, 6)
    await shelf.join()
    print("everything sold")
    for s in sellers:
        s.cancel()
    await asyncio.gather(*sellers, return_exceptions=True)

asyncio.run(main())
