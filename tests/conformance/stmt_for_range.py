# for over range() with one, two and three arguments, including negative steps.
for i in range(4):
    print(i, end=",")
print()
for i in range(2, 7):
    print(i, end=",")
print()
for i in range(10, 0, -3):
    print(i, end=",")
print()
for i in range(0):
    print("never")
print(list(range(1, 10, 2)))
print(range(5), range(1, 5), range(0, 10, 2))
print(len(range(0, 100, 7)), 49 in range(0, 100, 7), 50 in range(0, 100, 7))
r = range(3, 8)
print(r[0], r[-1])
