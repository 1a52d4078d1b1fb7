# NameError and UnboundLocalError messages, caught and printed.
def f():
    print(undefined_name)

def g():
    y = x_local + 1
    x_local = 2

try:
    f()
except NameError as e:
    print(type(e).__name__, e)
try:
    g()
except UnboundLocalError as e:
    print(type(e).__name__, e)
try:
    g()
except NameError as e:
    print("UnboundLocalError is a NameError:", isinstance(e, NameError))
