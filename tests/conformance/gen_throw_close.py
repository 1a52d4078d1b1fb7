# yield from passing throw() and close() down to the inner generator,
# close() on a generator that yields again, a StopIteration raised in a
# body (PEP 479: RuntimeError), throw() before the first step, send() of
# a value to a fresh generator, running totals fed by send(), yield from
# over lists, ranges and strings, and generator expressions.
def inner():
    try:
        x = yield "i1"
        print("inner got", x)
        yield "i2"
    except KeyError as e:
        print("inner caught", repr(e))
        yield "i3"
    finally:
        print("inner finally")
    return 5

def outer():
    r = yield from inner()
    print("outer r", r)
    yield "o"

g = outer()
print(next(g))
print(g.throw(KeyError("k")))
print(next(g))
g = outer()
next(g)
g.close()
print("closed")
g = outer()
next(g)
try:
    g.throw(ValueError)
except ValueError as e:
    print("propagated", repr(e))
try:
    next(g)
except StopIteration:
    print("exhausted")

def stubborn():
    try:
        yield 1
    except GeneratorExit:
        yield 2
s = stubborn()
next(s)
try:
    s.close()
except RuntimeError as e:
    print("RuntimeError", e)

def leak():
    yield 1
    raise StopIteration("x")
try:
    list(leak())
except RuntimeError as e:
    print("RuntimeError", e, repr(e.__cause__))

def fresh():
    yield 1
f = fresh()
try:
    f.throw(TypeError("early"))
except TypeError as e:
    print("early", e)
print(list(f))
try:
    fresh().send(3)
except TypeError as e:
    print(e)

def echo():
    total = 0
    while True:
        v = yield total
        if v is None:
            return total
        total += v
e = echo()
next(e)
for v in [1, 2, 3]:
    print(e.send(v))
try:
    e.send(None)
except StopIteration as st:
    print("final", st.value)

def delegator():
    yield from [1, 2]
    yield from range(3, 5)
    yield from "ab"
print(list(delegator()))
gen = (x * 2 for x in range(3))
print(next(gen), gen.send(None), list(gen))
print(type(fresh()).__name__, repr(fresh())[:26])
