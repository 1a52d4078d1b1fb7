# An exception raised with no message prints just its type name.
class Stop(Exception):
    pass

def check(n):
    if n > 2:
        raise Stop
    return n

for i in range(5):
    print(check(i))
