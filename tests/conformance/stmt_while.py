# while loops with break and continue, and a loop whose condition changes.
n = 0
total = 0
while n < 20:
    n += 1
    if n % 3 == 0:
        continue
    if n > 14:
        break
    total += n
print("n =", n, "total =", total)

i = 12
while i:
    i -= 3
    print(i, end=" ")
print()

stack = [1, 2, 3]
while stack:
    print("pop", stack.pop())
print("empty:", stack)
