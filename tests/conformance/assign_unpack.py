# Assignment: chained, tuple unpacking, swaps, nested unpacking, and the
# error messages for the wrong number of values.
a = b = 5
print(a, b)
x, y = 1, 2
x, y = y, x
print(x, y)
(p, q), r = (1, 2), 3
print(p, q, r)
first, second, third = "abc"
print(first, second, third)
k, v = ("key", [1, 2])
v.append(3)
print(k, v)
t = 1, 2, 3
print(t)
try:
    m, n = [1, 2, 3]
except ValueError as e:
    print("ValueError:", e)
try:
    m, n, o = [1, 2]
except ValueError as e:
    print("ValueError:", e)
lst = [0, 0, 0]
lst[1], lst[2] = 7, 8
print(lst)
