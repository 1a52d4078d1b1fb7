# lambda: stored, passed to sorted/map/filter, with defaults and closures.
square = lambda x: x * x
add = lambda a, b=10: a + b
print(square(7), add(1), add(1, 2))
words = ["banana", "Apple", "cherry", "date"]
print(sorted(words, key=lambda w: w.lower()))
print(sorted(words, key=lambda w: (len(w), w)))
print(list(map(lambda n: n * 3, [1, 2, 3])))
print(list(filter(lambda n: n % 2, range(10))))
make_multiplier = lambda k: (lambda x: x * k)
triple = make_multiplier(3)
print(triple(14))
print((lambda: "no args")())
print((lambda *a, **k: (a, k))(1, 2, z=3))
