# int arithmetic: /, //, %, ** with negative operands, bitwise operators,
# int() conversions, abs, round and comparisons.
print(7 / 2, 7 // 2, -7 // 2, 7 // -2, 7 % 3, -7 % 3, 7 % -3)
print(2 ** 10, 2 ** -1, (-3) ** 3, 0 ** 0)
print(6 & 3, 6 | 3, 6 ^ 3, ~6, 1 << 10, 1024 >> 3, -16 >> 2)
print(int("42"), int("-7"), int(" 12 "), int(3.99), int(-3.99), int(True))
print(abs(-5), abs(5), round(7), -(-3), +4)
print(1 < 2, 2 <= 2, 3 > 4, 3 >= 3, 5 == 5.0, 5 != 5)
print(10 / 5, type(10 / 5).__name__, 10 // 5, type(10 // 5).__name__)
print(True + True, True * 10, 0 == False)
print(1_000_000, 0xff, 0o17, 0b101)
