# random.seed with every kind of seed CPython accepts (ints of any size and
# sign, floats, strings) gives CPython's sequence; getrandbits of any width.
import random

for seed in [0, 1, -7, 2**32, 2**100 + 12345, 3.5, 42.0, "hello", "héllo wörld", True]:
    random.seed(seed)
    print(repr(seed), random.random(), random.getrandbits(7))

random.seed(2024)
print(random.getrandbits(0), random.getrandbits(32), random.getrandbits(40))
print(random.getrandbits(64), random.getrandbits(100))
print(random.randrange(10**30), random.randrange(-5, 10**20, 7))
print(random.randrange(100, 0, -3), random.randrange(-10, -2))
