def count(n):
    i = 0
    while i < n:
        yield i
        i += 1
    else:
        return "done"

def chain(*its):
    for it in its:
        yield from it

print(list(chain(count(3), count(2))))
