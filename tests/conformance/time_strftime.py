# time.strftime and time.time read the default epoch (2026-01-01 00:00:00
# UTC) plus the virtual clock.
import time

print(time.strftime("%Y-%m-%d %H:%M:%S"))
print(time.time())
time.sleep(3661.5)
print(time.strftime("%H:%M:%S"))
print(time.strftime("%a %d %b %Y, day %j"))
print(time.time())
print(int(time.time()) % 60)
