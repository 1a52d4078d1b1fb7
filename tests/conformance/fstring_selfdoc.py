# Self-documenting f-strings with =: spacing is kept, the default
# conversion is repr, and a spec or conversion can follow.
x = 10
name = "loop"
ratio = 2 / 3
print(f"{x=}")
print(f"{name=}")
print(f"{x = }")
print(f"{x * 2 + 1=}")
print(f"{ratio=:.3f}")
print(f"{name=!s}")
print(f"{name = !r:>10}|")
print(f"{[1, 2]=}")
