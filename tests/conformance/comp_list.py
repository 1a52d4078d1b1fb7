# List comprehensions: filters, nested loops, nested comprehensions, and
# the comprehension's own scope.
nums = [3, 1, 4, 1, 5, 9, 2, 6]
print([n * n for n in nums])
print([n for n in nums if n > 2])
print([(x, y) for x in range(3) for y in range(x)])
print([[i * j for j in range(1, 4)] for i in range(1, 4)])
print([c.upper() for c in "abc" if c != "b"])
print([x if x % 2 else -x for x in range(6)])
x = "outer"
print([x for x in range(3)], x)
matrix = [[1, 2, 3], [4, 5, 6]]
print([row[i] for i in range(3) for row in matrix])
print([[row[i] for row in matrix] for i in range(3)])
