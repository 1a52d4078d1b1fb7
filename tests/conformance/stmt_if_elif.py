# if / elif / else chains, nested ifs and conditional expressions.
def classify(n):
    if n < 0:
        return "negative"
    elif n == 0:
        return "zero"
    elif n < 10:
        if n % 2 == 0:
            return "small even"
        else:
            return "small odd"
    else:
        return "large"

for n in [-5, 0, 3, 4, 10, 99]:
    print(n, classify(n))

x = 7
print("big" if x > 5 else "small")
print("yes" if [] else "no")
if x:
    print("truthy")
if not None:
    print("None is falsy")
