# f-string conversions !r, !s, !a on strings, numbers and containers.
s = "it's é"
n = 42
lst = ["a", 1]
print(f"{s!r} {s!s} {s!a}")
print(f"{n!r} {n!s} {lst!r} {lst!s}")
print(f"{s!r:>20}|")
print(f"{'x'!r:^7}|")
print(f"{None!r} {3.5!r}")
