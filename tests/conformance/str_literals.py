# String literal forms: single, double, triple-quoted, raw, escapes,
# adjacent literal concatenation.
a = 'single'
b = "double"
c = """triple
quoted"""
d = '''also
triple'''
e = r"raw\nstring\t"
f = "esc: \\ \' \" \t| \x41 \u00e9 \101"
g = ("adjacent " "literals " 'joined')
print(a, b)
print(c)
print(d)
print(e, len(e))
print(f)
print(g)
print("")
print("line one\nline two")
