# functools.partial: fixed positional and keyword arguments, calling with
# more, overriding keywords, and its func/args/keywords attributes.
from functools import partial

def power(base, exp, *, mod=None):
    r = base ** exp
    return r if mod is None else r % mod

square = partial(power, exp=2)
two_to = partial(power, 2)
print(square(9), two_to(10), two_to(100, mod=1000))
print(square(5, exp=3))
greet = partial(print, "Hello", sep=", ")
greet("World")
greet("you", "there", sep=" & ")
print(two_to.args, square.keywords, two_to.func is power)
p2 = partial(two_to, mod=7)
print(p2(5), p2.args, p2.keywords)
