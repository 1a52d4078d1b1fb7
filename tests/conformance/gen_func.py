# Generator functions used as iterators: for loops, next(), StopIteration,
# and laziness (the body runs only when asked).
def countdown(n):
    print("start", n)
    while n > 0:
        yield n
        n -= 1
    print("end")

for v in countdown(3):
    print("got", v)

g = countdown(2)
print("created")
print(next(g))
print(next(g))
try:
    next(g)
except StopIteration:
    print("StopIteration")

def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b

it = fib()
print([next(it) for _ in range(12)])

def pairs(seq):
    for i in range(len(seq) - 1):
        yield seq[i], seq[i + 1]

print(list(pairs([1, 2, 3, 4])))
print(sum(x for x, y in pairs([5, 6, 7])))

def gen_return():
    yield 1
    return "done"

for x in gen_return():
    print(x)
