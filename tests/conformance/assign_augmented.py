# Augmented assignment operators on ints, floats, strings and lists.
n = 10
n += 5; print(n)
n -= 3; print(n)
n *= 2; print(n)
n //= 5; print(n)
n %= 3; print(n)
n **= 10; print(n)
f = 7
f /= 2; print(f)
s = "ab"
s += "cd"; print(s)
s *= 3; print(s)
lst = [1]
alias = lst
lst += [2, 3]
print(lst, alias, lst is alias)
t = (1,)
t2 = t
t += (2,)
print(t, t2)
d = {"x": 1}
d["x"] += 41
print(d)
bits = 0b1100
bits |= 0b0011; print(bits)
bits &= 0b1010; print(bits)
bits ^= 0b1111; print(bits)
bits <<= 3; print(bits)
bits >>= 1; print(bits)
