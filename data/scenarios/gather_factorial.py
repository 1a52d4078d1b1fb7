# title: Three factorials with gather
# description: Three tasks compute factorials one multiplication at a time,
# description: sleeping a second between steps. gather runs them side by side,
# description: so the steps interleave and the whole run takes four seconds,
# description: not nine. The results come back in the order the calls were
# description: written, whatever order they finished in.
import asyncio

async def factorial(name, number):
    f = 1
    for i in range(2, number + 1):
        print(f"Task {name}: Compute factorial({number}), currently i={i}...")
        await asyncio.sleep(1)
        f *= i
    print(f"Task {name}: factorial({number}) = {f}")
    return f

async def main():
    results = await asyncio.gather(
        factorial("A", 2),
        factorial("B", 3),
        factorial("C", 4),
    )
    print(results)

asyncio.run(main())
