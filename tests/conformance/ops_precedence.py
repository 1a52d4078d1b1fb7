# Operator precedence and associativity: ** binds tighter than unary
# minus, right-associative **, comparisons below arithmetic, not below in.
print(-2 ** 2, (-2) ** 2, 2 ** 3 ** 2, (2 ** 3) ** 2)
print(1 + 2 * 3, (1 + 2) * 3, 10 - 4 - 3, 100 / 10 / 5, 2 * 3 % 4)
print(not 1 in [2], not (1 in [2]), 1 + 2 == 3, 3 & 5 | 2, 1 | 2 ^ 3 & 4)
print(True or False and False, (True or False) and False)
print(1 << 2 + 1, -7 // 2 * 2, 5 - -2, ~0 + 1)
x = 3
print(x if x > 2 else -x, x * 2 if False else x * 3)
