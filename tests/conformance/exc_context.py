# Implicit chaining: an exception raised while handling another gets it as
# __context__ (and no __cause__); a finally block raising replaces the error.
try:
    try:
        [].pop()
    except IndexError:
        {}["k"]
except KeyError as e:
    print(repr(e))
    print(repr(e.__context__))
    print(e.__cause__)

def cleanup_fails():
    try:
        raise ValueError("first")
    finally:
        raise TypeError("second")

try:
    cleanup_fails()
except TypeError as e:
    print(repr(e), repr(e.__context__))

try:
    raise ValueError("plain")
except ValueError as e:
    print(e.__context__, e.__cause__)
