x = 1
help = """a triple-quoted string
that is never closed
print(x)
