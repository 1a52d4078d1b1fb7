# iter() and next() on lists, strings, dicts and ranges, with and without a
# default, and an iterator shared between two loops.
it = iter([1, 2, 3, 4, 5])
for x in it:
    print("first loop", x)
    if x == 2:
        break
for x in it:
    print("second loop", x)
print(next(iter("xyz")))
d = {"a": 1, "b": 2}
di = iter(d)
print(next(di), next(di), next(di, "none left"))
r = iter(range(2))
print(next(r), next(r))
try:
    next(r)
except StopIteration as e:
    print("StopIteration", repr(e))
