# Tuples: packing, indexing, slicing, the one-element tuple, comparison,
# count/index, immutability error, and tuples as dict keys.
t = (1, "two", 3.0)
print(t, t[1], t[-1], t[:2], len(t))
single = (5,)
empty = ()
print(single, empty, (5), type(single).__name__)
print((1, 2) + (3,), (0,) * 3, (1, 2) < (1, 3), (1, 2) == (1, 2))
print((1, 2, 2, 3).count(2), (1, 2, 3).index(3))
try:
    t[0] = 10
except TypeError as e:
    print("TypeError:", e)
grid = {(0, 0): "origin", (1, 2): "point"}
print(grid[(1, 2)], (0, 0) in grid)
a, b = 17 // 5, 17 % 5
print(a, b)
print(tuple([1, 2]), tuple("ab"), tuple())
