# Integers of any size: factorials, powers, negative numbers, floor
# division and modulo rounding toward minus infinity.
def factorial(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r

print(factorial(30))
print(factorial(52))
print(2 ** 100, -2 ** 63, (-2) ** 63, 2 ** 64 - 1)
big = 10 ** 30 + 7
print(big // 7, big % 7, -big // 7, -big % 7)
print(big * big, big - 10 ** 30, big > 10 ** 30)
print(len(str(factorial(100))), str(factorial(25))[:10])
print(int("123456789012345678901234567890") + 1)
print(abs(-10 ** 20), 10 ** 20 == 100000000000000000000)
print(12345678901234567890 // 1000, 99 ** 9 % 1000007)
print(float(2 ** 60), int(1e20), 2 ** 100 / 2 ** 98)
