# Generators driven by hand (next, send, throw, close) beside a for loop.
def averager():
    total = 0
    count = 0
    avg = None
    while True:
        try:
            x = yield avg
        except ValueError:
            print("reset")
            total = count = 0
            avg = None
            continue
        total += x
        count += 1
        avg = total / count

a = averager()
print(next(a))
print(a.send(10))
print(a.send(20))
print(a.throw(ValueError))
print(a.send(5))
a.close()
print(sum(x for x in range(5)))
for v in (i * i for i in range(3)):
    print(v)
