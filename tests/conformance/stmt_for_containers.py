# for over lists, tuples, strings and dicts (keys, values, items), with
# break and continue and tuple unpacking in the target.
for x in [10, 20, 30]:
    print("list", x)
for x in ("a", "b"):
    print("tuple", x)
for ch in "hey":
    print("char", ch)
ages = {"ann": 31, "bob": 25, "cid": 40}
for name in ages:
    print("key", name)
for age in ages.values():
    print("value", age)
for name, age in ages.items():
    if age < 30:
        continue
    print("item", name, age)
for pair in [(1, 2), (3, 4), (5, 6)]:
    a, b = pair
    if a == 5:
        break
    print("pair", a + b)
for (a, b), c in [((1, 2), 3)]:
    print("nested", a, b, c)
