# repr() of strings picks its quotes like CPython and escapes control
# characters; containers show their strings with repr.
for s in ["plain", "it's", 'say "hi"', "both ' and \"", "tab\t", "nl\n",
          "back\\slash", "bell\x07", "\x00", "é", "日本", "\u200b", "\x7f"]:
    print(repr(s))
print(["a", "b'c"], ("x",), {"k": "v"})
print(str("x"), repr("x"), repr(repr("x")))
