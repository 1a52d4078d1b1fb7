# Further str methods tutorials use: lstrip/rstrip, title, capitalize,
# is* tests, zfill, center, ljust, rjust, rsplit, partition, rfind.
s = "--a--"
print(s.lstrip("-"), s.rstrip("-"))
print("hello world".title(), "hello".capitalize(), "Hi".swapcase())
print("42".isdigit(), "4a".isdigit(), "abc".isalpha(), " ".isspace(),
      "ABC".isupper(), "abc".islower(), "a1".isalnum())
print("7".zfill(3), "ab".center(6, "*"), "ab".ljust(5) + "|", "ab".rjust(5))
print("a-b-c".rsplit("-", 1), "x".partition("="), "k=v".partition("="))
print("banana".rfind("a"), "a\nb\n".splitlines())
