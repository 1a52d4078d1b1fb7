squares = [i * i for i in range(10) if i % 2]
table = {k: v for k, v in zip("abc", (1, 2, 3))}
unique = {c for c in "hello"}
total = sum(x for x in squares)
pairs = [(a, b) for a in range(3) for b in range(a)]
first, *rest = squares
print(squares, table, unique, total, pairs, first, rest, sep="\n")
