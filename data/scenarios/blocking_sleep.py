# title: One task that blocks the loop (time.sleep)
# description: A heartbeat task prints every half second. Another task calls
# description: time.sleep(2) by mistake: for those two seconds the event loop is
# description: frozen, the heartbeat misses its beats, and its timers all fire
# description: late at once when the loop gets control back.
import asyncio
import time

async def heartbeat():
    loop = asyncio.get_running_loop()
    for beat in range(6):
        print(f"t={loop.time():.1f} heartbeat {beat}")
        await asyncio.sleep(0.5)

async def careless():
    loop = asyncio.get_running_loop()
    await asyncio.sleep(1)
    print(f"t={loop.time():.1f} careless: calling time.sleep(2)")
    time.sleep(2)
    print(f"t={loop.time():.1f} careless: done blocking")

async def main():
    await asyncio.gather(heartbeat(), careless())

asyncio.run(main())
