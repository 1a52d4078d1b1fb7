# Python 3.12 f-strings (PEP 701): the same quote inside a replacement
# field, and nested f-strings with the same quotes.
d = {"key": "value"}
names = ["a", "b"]
print(f"{d["key"]}")
print(f"{", ".join(names)}")
print(f"{f"{f"{1 + 1}"}"}")
