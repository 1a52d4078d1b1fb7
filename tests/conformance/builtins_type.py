# type() and isinstance(), ord() and chr(); type objects print as
# <class 'NAME'>.
for v in [1, 1.0, "s", True, None, [1], (1,), {"k": 1}, {1}, range(2)]:
    print(type(v), type(v).__name__)
print(isinstance(3, int), isinstance(True, int), isinstance(3, float))
print(isinstance(3.0, (int, float)), isinstance("s", (list, tuple)))
print(isinstance([], list), isinstance({}, dict), isinstance(None, type(None)))
print(type(3) == int, type(True) is bool, type("") is str)
print(type(ValueError("x")), isinstance(ValueError(), Exception))
print(ord("a"), ord("Z"), ord("0"), ord("\n"), chr(65), chr(0x263A), repr(chr(10)))
print([chr(ord("a") + i) for i in range(5)])
print(int, str, float, list, dict, bool, tuple, Exception, KeyError)
