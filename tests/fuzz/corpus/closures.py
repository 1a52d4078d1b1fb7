from functools import partial

def outer():
    n = 0
    def inc(step=1, *, times=1):
        nonlocal n
        n += step * times
        return n
    return inc

counter = outer()
add = partial(counter, times=2)
print(counter(), add(3), (lambda a, b=2: a + b)(1))
