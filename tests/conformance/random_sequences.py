# choice, shuffle, sample (both of CPython's methods: a pool for small
# populations, a set of picks for large ones), choices with and without
# weights, and separate random.Random instances with their own state.
import random

random.seed(7)
names = ["ada", "bob", "cy", "dee", "eve"]
print(random.choice(names), random.choice("xyz"), random.choice(range(50, 60)))
deck = [f"{r}{s}" for s in "SH" for r in "A23"]
random.shuffle(deck)
print(deck)
print(random.sample(names, 3), random.sample(range(30), 30)[:5])
print(random.sample(range(1000), 12))
print(random.sample((1, 2, 3), k=0), random.sample("abcdef", k=2))
print(random.choices(names, k=4))
print(random.choices([1, 2, 3], weights=[1, 5, 1], k=6))
print(random.choices("ab", cum_weights=[0.25, 1.0], k=5))
print(round(random.expovariate(2.0), 6), round(random.uniform(-1, 1), 6), random.uniform(2, 2))

a = random.Random(5)
b = random.Random(5)
print(a.random() == b.random(), a.randint(1, 100), b.randint(1, 100))
a.seed(9)
print(a.random(), b.random())
print(random.random())
