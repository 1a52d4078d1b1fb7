# Timeout.reschedule(): only while entered; moves the deadline later, into
# the past (fires at the next iteration) or to None (disarmed).
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    cm = asyncio.timeout(None)
    print(repr(cm), cm.when())
    try:
        cm.reschedule(1)
    except RuntimeError as e:
        print("RuntimeError:", e)
    try:
        async with cm:
            print(repr(cm), cm.when())
            cm.reschedule(loop.time() + 1)
            await asyncio.sleep(0.5)
            cm.reschedule(loop.time() + 2)
            print(repr(cm), cm.when())
            await asyncio.sleep(10)
    except TimeoutError:
        print("timed out at", loop.time(), repr(cm), cm.expired())
    try:
        cm.reschedule(None)
    except RuntimeError as e:
        print("RuntimeError:", e)
    try:
        async with asyncio.timeout(10) as cm2:
            cm2.reschedule(loop.time() - 1)
            await asyncio.sleep(1)
    except TimeoutError:
        print("past deadline fired at", loop.time())
    async with asyncio.timeout(1) as cm3:
        cm3.reschedule(None)
        await asyncio.sleep(2)
    print("disarmed", cm3.expired(), repr(cm3), "at", loop.time())

asyncio.run(main())
