# Floats print as Python prints them: the shortest repr that round-trips,
# scientific notation from 1e16 and below 1e-4, .0 on whole numbers.
for x in [100.0, 0.1 + 0.2, 1e16, 1e15, 123456789012345678.0, 1e-4,
          1e-5, 0.1, 1 / 3, 2 / 3, 1.5e300, 5e-324, -0.0, 2.0 ** 0.5,
          1e22, 12345.678, 3.0 * 1.1, 100.0 / 3.0, 0.5]:
    print(x, repr(x), str(x))
print(float("inf"), float("-inf"), -float("inf"), float("nan"))
print(float("1.5"), float("  -2e3 "), float(7), float("1_0.5"))
print([0.1, 0.2, 0.30000000000000004], (1.0,), {"f": 2.5})
