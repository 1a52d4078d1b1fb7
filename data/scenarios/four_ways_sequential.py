# title: Same job four ways (1/4): sequential
# description: Three downloads of 1, 2 and 3 seconds, one after the other
# description: with the blocking time.sleep standing in for the network. No
# description: concurrency at all: the run takes 1 + 2 + 3 = 6 seconds. Compare
# description: with the asyncio, threads and greenlets versions of the same job.
import time


def download(name, seconds):
    print(f"{name}: start at {time.perf_counter():.1f}")
    time.sleep(seconds)
    print(f"{name}: done at {time.perf_counter():.1f}")
    return f"{name} ({seconds} s)"


def main():
    start = time.perf_counter()
    results = [download(name, seconds) for name, seconds in [("a", 1), ("b", 2), ("c", 3)]]
    print(f"{results} in {time.perf_counter() - start:.1f} s")


main()
