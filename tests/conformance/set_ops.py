# Sets of ints: literals, set(), add/remove/discard, membership, and the
# operators; printed sorted or as small-int sets, whose order is stable.
s = {3, 1, 2}
s.add(4)
s.discard(10)
s.remove(1)
print(s, len(s), 2 in s, 1 in s)
a = set([1, 2, 3, 4])
b = {3, 4, 5}
print(a | b, a & b, a - b, a ^ b)
print(sorted(a | b), a <= {1, 2, 3, 4, 5})
print(set(range(5)), set([2, 2, 2]), len(set("aaa")))
print({1, 2} == {2, 1}, {1} < {1, 2})
try:
    s.remove(99)
except KeyError as e:
    print("KeyError:", e)
