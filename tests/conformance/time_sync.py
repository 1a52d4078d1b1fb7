# The time module outside asyncio: sleep advances the (virtual) clock,
# perf_counter and monotonic measure it.
import time

start = time.perf_counter()
m0 = time.monotonic()
time.sleep(1.5)
time.sleep(0.25)
elapsed = time.perf_counter() - start
print(f"slept {elapsed:.2f}s")
print(time.monotonic() - m0)
print(time.perf_counter(), time.monotonic())
time.sleep(0)
print(time.perf_counter())
