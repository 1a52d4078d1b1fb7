# pass in every block position, and empty functions returning None.
def nothing():
    pass

class Quiet(Exception):
    pass

for i in range(3):
    pass
if True:
    pass
else:
    pass
try:
    pass
except Exception:
    pass
print(nothing())
print(i)
d = {"a": 1, "b": 2}
del d["a"]
print(d)
lst = [1, 2, 3, 4]
del lst[0]
print(lst)
