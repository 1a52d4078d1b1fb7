# List operations: indexing, slicing, slice assignment, concatenation,
# repetition, membership, equality, nesting and aliasing.
a = [1, 2, 3, 4, 5]
print(a[0], a[-1], a[1:3], a[::-1], a[::2], a[:-2])
b = a
c = a[:]
a[0] = 99
print(a, b, c, a is b, a is c, a == b, c == [1, 2, 3, 4, 5])
a[1:3] = ["x", "y", "z"]
print(a)
print([0] * 3, [1, 2] + [3], 3 in a, "x" in a, "q" not in a)
grid = [[0] * 2 for _ in range(2)]
grid[0][1] = 1
print(grid)
shared = [[0] * 2] * 2
shared[0][1] = 1
print(shared)
print([1, 2] < [1, 3], [1, 2] < [1, 2, 0], [] == [], len([[], []]))
print(list("abc"), list((1, 2)), list(range(3)), list({"k": 1}))
nested = [1, [2, [3, [4]]], (5, 6), {"x": [7]}, None, True, 1.5, "s"]
print(nested)
