# asyncio.get_event_loop() inside a coroutine returns the running loop;
# get_running_loop outside one raises RuntimeError.
import asyncio

async def main():
    a = asyncio.get_event_loop()
    b = asyncio.get_running_loop()
    print(a is b, a.is_running())
    fut = a.create_future()
    a.call_soon(fut.set_result, "set by call_soon")
    print(await fut)

try:
    asyncio.get_running_loop()
except RuntimeError as e:
    print("RuntimeError:", e)
asyncio.run(main())
