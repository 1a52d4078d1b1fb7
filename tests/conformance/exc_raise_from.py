# raise ... from ...: __cause__, __context__ and __suppress_context__,
# printed through repr().
class ConfigError(Exception):
    pass

def load(text):
    try:
        return int(text)
    except ValueError as e:
        raise ConfigError("bad number: " + text) from e

try:
    load("x1")
except ConfigError as e:
    print(repr(e))
    print(repr(e.__cause__))
    print(repr(e.__context__))
    print(e.__suppress_context__)

try:
    try:
        raise KeyError("inner")
    except KeyError:
        raise RuntimeError("outer") from None
except RuntimeError as e:
    print(repr(e), repr(e.__cause__), repr(e.__context__), e.__suppress_context__)
