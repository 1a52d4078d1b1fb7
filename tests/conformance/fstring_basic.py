# f-strings: expressions, calls, method calls, quotes inside, braces,
# dict lookups and conditional expressions.
name = "Ada"
items = [3, 1, 2]
d = {"key": "value"}
print(f"hello {name}")
print(f"{1 + 2} {len(items)} {sorted(items)} {name.upper()}")
print(f"{d['key']}")
print(f"{{braces}} {{{name}}}")
print(f"{'yes' if items else 'no'}")
print(f"{[x * 2 for x in items]}")
print(f"multi {name} " f"part {items[0]}")
print(f"{None} {True} {3.0} {-7}")
nested = f"outer {f'inner {name}'}"
print(nested)
print(F"capital F {name}", rf"raw \n {name}")
