# The str methods of the subset: split, join, strip, upper, lower, replace,
# startswith, endswith, count, index, find, format.
s = "  Hello, World  "
print(repr(s.strip()), s.upper(), s.lower())
print("xxhixx".strip("x"), repr("\t pad \n".strip()))
print("a,b,,c".split(","), "a b  c ".split(), "a b c".split(" ", 1))
print("k=v=w".split("=", 1), "line1\nline2\n".split("\n"), "".split())
print("-".join(["x", "y", "z"]), "".join("abc"), repr(", ".join([])))
print("banana".replace("a", "o"), "banana".replace("a", "o", 2),
      "banana".replace("x", "y"))
print("report.txt".endswith(".txt"), "report.txt".startswith("rep"),
      "x".startswith(("a", "x")), "abc".endswith("B"))
print("banana".count("a"), "banana".count("an"), "banana".index("n"),
      "banana".find("an"), "banana".find("z"))
print("{}-{}".format("a", "b"))
