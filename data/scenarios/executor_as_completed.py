# title: Downloads on a thread pool, handled as they finish (as_completed)
# description: The ThreadPoolExecutor example of the Python documentation, with
# description: time.sleep standing in for the network. A plain script, no asyncio:
# description: five downloads go to three worker threads, and
# description: concurrent.futures.as_completed hands back each future as soon as
# description: its download ends, so the main program waits only for the next
# description: one to finish. The fourth and fifth downloads wait for a free
# description: thread; the one that fails raises when its result is asked for.
# reference: real-time CPython (the oracle's clock is not per thread; the
# reference: distinct download times make the order the same on every run)
import concurrent.futures
import time

PAGES = [
    ("https://www.python.org/", 0.8),
    ("https://docs.python.org/3/", 0.2),
    ("https://nonexistent-subdomain.python.org/", 1.0),
    ("https://peps.python.org/", 0.4),
    ("https://pypi.org/", 0.6),
]


def load_url(url, seconds):
    time.sleep(seconds)
    if "nonexistent" in url:
        raise ConnectionError(f"cannot resolve {url}")
    return len(url) * 1000


start = time.perf_counter()
with concurrent.futures.ThreadPoolExecutor(max_workers=3) as executor:
    future_to_url = {executor.submit(load_url, url, s): url for url, s in PAGES}
    for future in concurrent.futures.as_completed(future_to_url):
        url = future_to_url[future]
        elapsed = time.perf_counter() - start
        try:
            data = future.result()
        except Exception as exc:
            print(f"{elapsed:.1f} s: {url} generated an exception: {exc!r}")
        else:
            print(f"{elapsed:.1f} s: {url} page is {data} bytes")
print(f"all done after {time.perf_counter() - start:.1f} s")
