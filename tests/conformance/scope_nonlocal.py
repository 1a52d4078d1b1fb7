# Closures and nonlocal: a counter factory, independent closures, and a
# nested function two levels deep.
def make_counter(start):
    count = start
    def step(by=1):
        nonlocal count
        count += by
        return count
    return step

c1 = make_counter(0)
c2 = make_counter(100)
print(c1(), c1(), c1(5))
print(c2(), c1())

def outer():
    x = "outer"
    def middle():
        def inner():
            nonlocal x
            x = "changed by inner"
        inner()
        return x
    r = middle()
    return r, x
print(outer())

def adders():
    return [lambda v, n=n: v + n for n in range(3)]
print([f(10) for f in adders()])

def late():
    return [lambda v: v + n for n in range(3)]
print([f(10) for f in late()])
