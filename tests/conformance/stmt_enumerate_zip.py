# enumerate (with start) and zip (stops at the shortest input).
names = ["ann", "bob", "cid"]
scores = [90, 85, 77, 60]
for i, name in enumerate(names):
    print(i, name)
for i, name in enumerate(names, 1):
    print(i, name)
for name, score in zip(names, scores):
    print(name, score)
for a, b, c in zip("xyz", range(3), [True, False, None]):
    print(a, b, c)
print(list(enumerate("ab")))
print(list(zip([1, 2], ["one", "two"])))
print(dict(zip(names, scores)))
