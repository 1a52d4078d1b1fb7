# Generator expressions passed to sum/any/all/max/min/sorted/list, and
# consumed step by step with next().
nums = [4, 8, 15, 16, 23, 42]
print(sum(n for n in nums if n % 2 == 0))
print(any(n > 40 for n in nums), all(n > 5 for n in nums))
print(max(n % 7 for n in nums), min(-n for n in nums))
print(sorted((n % 10 for n in nums), reverse=True))
g = (n * 10 for n in range(3))
print(next(g))
print(list(g))
print(list(g))
print(next(g, "exhausted"))
squares = (x * x for x in range(5))
print(", ".join(str(s) for s in squares))
