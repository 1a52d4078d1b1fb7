# title: Same job four ways (3/4): threads
# description: The three downloads as plain blocking functions handed to a
# description: ThreadPoolExecutor with three worker threads: each thread
# description: blocks in its own time.sleep while the others go on, so the run
# description: takes 3 seconds. The code stays sequential-looking; the
# description: operating system (here, virtual time) does the interleaving.
# reference: real-time CPython
import time
from concurrent.futures import ThreadPoolExecutor


def download(name, seconds):
    time.sleep(seconds)
    print(f"{name}: done after {seconds} s")
    results.append(f"{name} ({seconds} s)")


results = []


def main():
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=3) as executor:
        for name, seconds in [("a", 1), ("b", 2), ("c", 3)]:
            # Printed here, not in the threads: their starts would race.
            print(f"{name}: start")
            executor.submit(download, name, seconds)
    print(f"{results} in {round(time.perf_counter() - start)} s")


main()
