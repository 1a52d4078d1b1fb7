# sorted() and list.sort(): key functions, reverse, stability, tuples,
# and min/max with key.
people = [("ann", 31), ("bob", 25), ("cid", 31), ("dee", 25)]
print(sorted(people))
print(sorted(people, key=lambda p: p[1]))
print(sorted(people, key=lambda p: p[1], reverse=True))
print(sorted(people, key=lambda p: (-p[1], p[0])))
print(sorted("hello"), sorted([3.5, -1, 2]), sorted([]))
print(sorted({"b": 1, "a": 2}), sorted((3, 1, 2), reverse=True))
print(max(people, key=lambda p: p[1]), min(people, key=lambda p: p[1]))
print(max("apple", "fig", "banana", key=len), min([4, 2, 8]))
print(max(3, 7, 5), min("zebra", "ant"), max([1, 5], [1, 4]))
print(min([], default="empty"), max([2], default=0))
try:
    sorted([1, "a"])
except TypeError as e:
    print("TypeError:", e)
