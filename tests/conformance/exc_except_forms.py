# except with a tuple of types, bare except, the exception hierarchy, and
# "as" names being cleared after the block.
def risky(kind):
    if kind == "key":
        return {}["missing"]
    if kind == "index":
        return [][3]
    if kind == "type":
        return 1 + "a"
    if kind == "value":
        return int("abc")
    if kind == "zero":
        return 1 / 0
    return "fine"

for kind in ["key", "index", "type", "value", "zero", "none"]:
    try:
        print(risky(kind))
    except (KeyError, IndexError) as e:
        print("lookup problem:", type(e).__name__, e)
    except ArithmeticError as e:
        print("arithmetic:", type(e).__name__, e)
    except Exception as e:
        print("other:", type(e).__name__, e)

try:
    risky("key")
except LookupError as e:
    print("LookupError caught", repr(e))
try:
    risky("zero")
except:
    print("bare except")
try:
    raise ValueError("v")
except ValueError as err:
    pass
try:
    print(err)
except NameError as e:
    print("NameError:", e)
