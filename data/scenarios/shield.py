# title: Protecting work from cancellation (shield)
# description: A payment must not be interrupted halfway. The caller waits for
# description: it with a two-second timeout, but through asyncio.shield: when the
# description: timeout fires, only the waiting is cancelled, the payment task
# description: keeps going and its result can still be collected later.
import asyncio

async def process_payment(amount):
    print(f"payment of {amount} started")
    await asyncio.sleep(3)
    print(f"payment of {amount} completed")
    return "receipt-0042"

async def main():
    loop = asyncio.get_running_loop()
    payment = asyncio.create_task(process_payment(25))
    try:
        await asyncio.wait_for(asyncio.shield(payment), timeout=2)
    except TimeoutError:
        print(f"t={loop.time()}: stopped waiting; payment cancelled? {payment.cancelled()}")
    receipt = await payment
    print(f"t={loop.time()}: got {receipt}")

asyncio.run(main())
