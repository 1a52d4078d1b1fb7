# String operations: concatenation, repetition, indexing, slicing, in,
# comparison, len, and iteration.
s = "concurrency"
print(s[0], s[-1], s[3:7], s[:3], s[5:], s[::2], s[::-1], s[-4:-1])
print(len(s), "cur" in s, "xyz" not in s)
print("ab" + "cd", "ab" * 3, 3 * "-")
print("apple" < "banana", "Zebra" < "apple", "abc" == "abc", "a" != "b")
print([c for c in "hi!"])
print(s[100:], s[-100:2])
print(str(12) + str(3.5) + str(None) + str(True))
print(ord("A"), ord("é"), chr(97), chr(8364))
print("tab\there", "new\\nline", 'quote"s', "it's")
