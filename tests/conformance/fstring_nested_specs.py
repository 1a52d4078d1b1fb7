# Nested replacement fields inside format specs: width and precision from
# variables.
value = 3.14159
for width in (8, 10):
    for prec in (1, 3):
        print(f"[{value:{width}.{prec}f}]")
align = "^"
fill_w = 9
print(f"[{'mid':{align}{fill_w}}]")
print(f"[{42:>{fill_w}}]", f"[{'x':{'<'}{5}}]")
rows = [("apple", 1.5), ("kiwi", 12.25), ("fig", 100.0)]
w = max(len(n) for n, _ in rows)
for n, p in rows:
    print(f"{n:<{w}} {p:>{7}.{2}f}")
