# Functions as values: passed, returned, stored in dicts; their reprs are
# not printed (they contain addresses) but their names are.
def apply(f, *args):
    return f(*args)

def compose(f, g):
    def h(x):
        return f(g(x))
    return h

def inc(x):
    return x + 1

def dbl(x):
    return x * 2

ops = {"inc": inc, "dbl": dbl}
print(apply(inc, 1), apply(max, 3, 9, 4))
print(compose(inc, dbl)(5), compose(dbl, inc)(5))
for name in ops:
    print(name, ops[name](10), ops[name].__name__)
print(inc is ops["inc"], inc == dbl)
print(type(inc).__name__)
