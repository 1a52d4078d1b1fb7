# The dict methods of the subset: keys, values, items, get, setdefault,
# update, pop; dicts keep insertion order.
d = {"b": 2, "a": 1}
d["c"] = 3
print(d, list(d.keys()), list(d.values()), list(d.items()))
print(d.keys(), d.values(), d.items())
print(d.get("a"), d.get("z"), d.get("z", 0))
print(d.setdefault("a", 100), d.setdefault("n", []), d)
d["n"].append(1)
d.update({"a": 10, "e": 5})
d.update(f=6)
d.update([("g", 7)])
print(d)
print(d.pop("a"), d.pop("zz", "default"), d)
d["b"] = 20
print(d)
del d["b"]
d["b"] = 30
print(d)
groups = {}
for w in ["apple", "avocado", "banana", "blueberry", "cherry"]:
    groups.setdefault(w[0], []).append(w)
print(groups)
counts = {}
for ch in "mississippi":
    counts[ch] = counts.get(ch, 0) + 1
print(counts)
