# Bare raise re-raises the current exception; raising a class instantiates
# it; exceptions pass through several frames.
def level3():
    raise IndexError

def level2():
    try:
        level3()
    except IndexError:
        print("level2 saw it, re-raising")
        raise

def level1():
    level2()

try:
    level1()
except IndexError as e:
    print("caught at top:", repr(e), e.args)

def handler():
    try:
        raise ValueError("keep me")
    except ValueError as e:
        print("handling", e)
        raise e

try:
    handler()
except ValueError as e:
    print("outer got", e)
