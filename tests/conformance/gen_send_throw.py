# Generators driven by hand: send() values in, throw() an exception at the
# paused yield, StopIteration carrying the return value, yield from
# delegating send(), close() with GeneratorExit, and __next__().
def gen():
    x = yield 1
    print("got", x)
    try:
        y = yield 2
        print("got", y)
    except ValueError as e:
        print("caught", e)
        yield 99
    finally:
        print("finally")
    return "done"

g = gen()
print(next(g))
print(g.send("a"))
print(g.throw(ValueError("boom")))
try:
    next(g)
except StopIteration as e:
    print("stop", e.value, repr(e))

def sub():
    a = yield "s1"
    b = yield "s2"
    return a + b

def outer():
    r = yield from sub()
    print("sub returned", r)
    yield "o1"

o = outer()
print(next(o))
print(o.send(3))
print(o.send(4))
try:
    o.send(None)
except StopIteration as e:
    print("stop", e.value)

def closer():
    try:
        yield 1
        yield 2
    except GeneratorExit:
        print("exit")
        raise
c = closer()
next(c)
c.close()
c.close()
print(list(closer()))
g2 = gen()
print(g2.__next__())
