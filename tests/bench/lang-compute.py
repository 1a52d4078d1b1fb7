# lang-compute.py - benchmark: pure computation in the scenario language,
# no asyncio at all: nested loops, function calls (recursive and not), list
# building (append and comprehensions), dict updates and string formatting
# (f-strings with format specs, str.join).
#
# tests/bench/run-lang.sh times it under Loopscope and under CPython 3.12
# (the oracle, with C tasks) from outside each process; it reads no clock,
# since the oracle makes the time module virtual.  The last line is a
# checksum that both runs must print alike.


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def mix(h, x):
    return (h * 31 + x) % 1000000007


def matmul(a, b, n):
    c = []
    for i in range(n):
        row = []
        ai = a[i]
        for j in range(n):
            s = 0
            for k in range(n):
                s += ai[k] * b[k][j]
            row.append(s)
        c.append(row)
    return c


def sieve(limit):
    flags = [True] * (limit + 1)
    flags[0] = flags[1] = False
    i = 2
    while i * i <= limit:
        if flags[i]:
            for j in range(i * i, limit + 1, i):
                flags[j] = False
        i += 1
    return [i for i in range(limit + 1) if flags[i]]


def report(rows):
    lines = []
    for i, (name, value, ratio) in enumerate(rows):
        lines.append(f"{i:>5} {name:<8} {value:08d} {ratio:.3f} {name!r}")
    return "\n".join(lines)


def main():
    h = 0

    # Function calls: about 4 million of them.
    for n in range(25, 30):
        h = mix(h, fib(n))

    # Nested loops over lists of lists.
    n = 70
    a = [[(i * n + j) % 17 for j in range(n)] for i in range(n)]
    b = [[(i + 2 * j) % 13 for j in range(n)] for i in range(n)]
    for _ in range(8):
        c = matmul(a, b, n)
        a = [[x % 101 for x in row] for row in c]
    for row in a:
        for x in row:
            h = mix(h, x)

    # List building and indexing.
    primes = sieve(2000000)
    h = mix(h, len(primes))
    h = mix(h, sum(primes) % 1000000007)

    # Dicts and string formatting.
    counts = {}
    rows = []
    for i in range(200000):
        key = f"k{i % 97}"
        counts[key] = counts.get(key, 0) + i
        rows.append((key, counts[key] % 100000000, i / 7))
    text = report(rows)
    for ch in text[-2000:]:
        h = mix(h, ord(ch))
    h = mix(h, len(text))
    h = mix(h, len(counts))

    print(f"lang-compute checksum={h} primes={len(primes)} text={len(text)}")


main()
