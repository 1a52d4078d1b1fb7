# Dict construction and operations: literals, dict(), key types, in,
# len, equality ignoring order, nested dicts, iteration order.
a = dict(x=1, y=2)
b = dict([("y", 2), ("x", 1)])
c = dict({"z": 0})
print(a, b, c, a == b, len(a), "x" in a, 1 in a)
keys = {1: "int", 1.5: "float", "s": "str", (1, 2): "tuple", None: "none",
        True: "bool overwrites 1"}
print(keys)
nested = {"cfg": {"debug": False, "level": 3}, "list": [1, {"k": "v"}]}
print(nested["cfg"]["level"], nested["list"][1]["k"])
print(nested)
try:
    {}[[1]] = 2
except TypeError as e:
    print("TypeError:", e)
print({}, dict(), {"a": 1} != {"a": 2})
print(list({"one": 1, "two": 2, "three": 3}))
