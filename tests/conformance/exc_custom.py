# User exception classes: class X(Exception): pass, subclasses of them,
# args, str and repr, and catching by base class.
class AppError(Exception):
    pass

class NotFound(AppError):
    pass

class Timeout(AppError):
    pass

def find(key):
    raise NotFound("no such key", key)

try:
    find("k1")
except AppError as e:
    print(type(e).__name__, e.args, str(e), repr(e))
    print(isinstance(e, NotFound), isinstance(e, Timeout), isinstance(e, Exception))

for exc in [NotFound(), Timeout("slow"), AppError(1, 2)]:
    try:
        raise exc
    except Timeout:
        print("timeout:", exc)
    except AppError as e:
        print("app error:", repr(e), "str:", str(e))

print(repr(NotFound("x")), NotFound.__name__)
print(issubclass(NotFound, AppError), issubclass(AppError, NotFound))
