items = [1, 2, 3]
if items:
    print(items)
    break
