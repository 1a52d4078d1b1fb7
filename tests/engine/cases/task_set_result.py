# A task's outcome cannot be set from outside; result() of a pending task
# raises InvalidStateError.
import asyncio

async def main():
    t = asyncio.create_task(asyncio.sleep(1, "r"))
    for action in (lambda: t.set_result(1), lambda: t.set_exception(ValueError())):
        try:
            action()
        except RuntimeError as e:
            print(repr(e))
    try:
        t.result()
    except asyncio.InvalidStateError as e:
        print("pending:", type(e).__name__)
    print(await t)

asyncio.run(main())
