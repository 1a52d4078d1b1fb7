# Float arithmetic and rounding: round() with banker's rounding and
# ndigits, int(), comparisons, mixed int/float arithmetic.
print(round(2.5), round(3.5), round(-2.5), round(0.5), round(1.5))
print(round(3.14159, 2), round(2.675, 2), round(1234.5, -2), round(7.0))
print(type(round(2.5)).__name__, type(round(2.5, 1)).__name__)
print(int(2.9), int(-2.9), 7.0 // 2, 7.5 % 2, -7.5 % 2, 2 ** 0.5)
print(0.1 + 0.2 == 0.3, abs(0.1 + 0.2 - 0.3) < 1e-9, 1.0 == 1)
print(sum([0.1] * 10), sum([1, 2.5]), 3 * 0.1, 1e308 * 10)
print(max(1, 2.0), min(1.0, 1), abs(-2.5), 10 / 4, 9 / 3)
print(1.0 / 3 * 3, 4.35 * 100, 1e-7 * 3)
