# Comparison operators, chained comparisons (each operand evaluated once),
# is / is not, in / not in on every container.
def val(v):
    print("eval", v)
    return v

print(1 < 2 < 3, 3 > 2 > 2, 1 < 3 > 2, 1 == 1.0 == True)
print(val(1) < val(2) < val(0) < val(5))
x = 5
print(0 <= x < 10, 0 < x <= 4, x != 4 != 5)
a = [1]
b = a
c = [1]
print(a is b, a is c, a == c, a is not c, None is None, x is not None)
print(2 in [1, 2], 2 in (1, 2), "k" in {"k": 1}, 1 in {"k": 1}, 3 in {3},
      "ell" in "hello", 4 not in range(4))
print((1, "a") == (1, "a"), [1, [2]] == [1, [2]], {"a": [1]} == {"a": [1]})
print("a" < "b" < "c", [1, 2] <= [1, 2], (3,) > (2, 9))
