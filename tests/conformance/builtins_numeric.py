# Numeric builtins: sum (with start), min, max, abs, round.
print(sum([1, 2, 3]), sum([]), sum(range(101)), sum([1, 2], 10))
print(sum([0.5, 0.25]), sum(x * x for x in range(4)))
print(min(3, 1, 2), max(3, 1, 2), min([5, 9]), max("hello"))
print(min([(2, "b"), (1, "z")]), max(["a", "ab", "abc"]))
print(abs(-3), abs(3.25), abs(-0.0), abs(0))
print(round(3.7), round(-3.7), round(3.14159, 3), round(10.0 / 3, 4))
print(round(1234, -2), round(1250, -2), round(1350, -2))
