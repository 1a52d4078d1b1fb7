# *args and **kwargs, in definitions and calls.
def show(*args, **kwargs):
    print("args =", args, "kwargs =", kwargs)

show()
show(1, 2, 3)
show(a=1, b="two")
show(1, *[2, 3], x=4, **{"y": 5, "z": 6})

def total(first, *rest):
    return first + sum(rest)

print(total(1), total(1, 2, 3, 4))
nums = [5, 6, 7]
print(total(*nums))

def config(**options):
    for key, value in options.items():
        print(key, "=", value)

config(debug=True, level=3, name="demo")
opts = {"color": "red", "size": 10}
config(**opts)

def mixed(a, b=2, *args, c, d=4, **kw):
    return (a, b, args, c, d, kw)

print(mixed(1, c=3))
print(mixed(1, 5, 6, 7, c=8, e=9))
