# Dict and set comprehensions (sets of small ints only: their order is
# stable), and set literals.
words = ["apple", "bob", "kayak", "tree", "level"]
lengths = {w: len(w) for w in words}
print(lengths)
print({w: w[::-1] == w for w in words})
print({k: v for k, v in lengths.items() if v > 3})
print({n % 5 for n in range(20)})
print({n * n for n in [3, -3, 2, -2, 0]})
s = {1, 2, 3}
s.add(2)
s.add(10)
print(s, len(s), 10 in s, 4 in s)
print(sorted({"b", "a", "c"}))
print(set(), {})
print({i: i for i in range(3)} == {0: 0, 1: 1, 2: 2})
