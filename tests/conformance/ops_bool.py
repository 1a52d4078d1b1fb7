# and/or return one of their operands and short-circuit; not; truthiness
# of every kind of value.
def loud(v):
    print("eval", v)
    return v

print(1 and 2, 0 and 2, 1 or 2, 0 or 2, None or "default", "" or [] or 0)
print(loud(0) and loud(1))
print(loud(1) or loud(2))
print(not 0, not 1, not "", not "a", not None, not [])
x = []
name = x and x[0]
print(repr(name))
for v in [0, 1, -1, 0.0, 0.5, "", "0", [], [[]], {}, {"": 0}, (), None, True, False]:
    print(repr(v), "is", "truthy" if v else "falsy")
