# An exception no handler matches goes on outward, through finally blocks.
def f():
    try:
        raise KeyError("k")
    except ValueError:
        print("no")
try:
    f()
except KeyError as e:
    print("outer caught", repr(e))
try:
    try:
        {}["x"]
    except (TypeError, ValueError):
        pass
    finally:
        print("finally runs")
except LookupError as e:
    print("got", type(e).__name__)
