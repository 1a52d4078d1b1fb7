# Conversions: str, int, float, repr, list, dict, tuple, bool of each kind
# of value.
print(str(1), str(1.0), str("s"), str([1, "a"]), str(None), str(False))
print(repr(1), repr(1.0), repr("s"), repr([1, "a"]), repr(None))
print(int("0"), int("  -15\n"), int(7.9), int("1_000"), int("ff", 16), int("101", 2))
print(float(3), float("0.25"), float("-inf"), float(" 1e3 "))
print(list("ab"), list({"x": 1, "y": 2}), list(range(2, 5)), list())
print(dict(a=1), dict([(1, 2), (3, 4)]), dict())
print(bool(0), bool(""), bool([]), bool({}), bool(None), bool(0.0))
print(bool(1), bool("0"), bool([0]), bool(-1), bool(0.1))
print(str(10 ** 20), str(-0.5), int(str(123) + "4"))
