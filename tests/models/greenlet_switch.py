from greenlet import greenlet

def test1():
    print(12)
    gr2.switch()
    print(34)

def test2():
    print(56)
    gr1.switch()
    print(78)

gr1 = greenlet(test1)
gr2 = greenlet(test2)
gr1.switch()
print(gr1.dead, gr2.dead)

def ping(n):
    for i in range(n):
        x = pong_g.switch(i)
        print("ping got", x)
    return "ping done"

def pong(v):
    while True:
        print("pong got", v)
        v = ping_g.switch(v * 10)

ping_g = greenlet(ping)
pong_g = greenlet(pong)
r = ping_g.switch(3)
print("main got", r)
print(greenlet.getcurrent())
print(ping_g)
print(pong_g)

def deep(n):
    if n == 0:
        return greenlet.getcurrent().parent.switch("from depth")
    return deep(n - 1)

g = greenlet(lambda: deep(5))
print(g.switch())
print(g.switch("back"))
print(g.dead)

from greenlet import GreenletExit
def victim():
    try:
        greenlet.getcurrent().parent.switch("waiting")
    except GreenletExit:
        print("got exit")
        raise
v = greenlet(victim)
print(v.switch())
print(repr(v.throw()))
print(v.dead)

def bad():
    raise ValueError("boom")
b = greenlet(bad)
try:
    b.switch()
except ValueError as e:
    print("caught", e)
