# random with a seed: the same sequence as CPython's Mersenne Twister.
import random

random.seed(42)
print(random.random())
print([random.randint(1, 6) for _ in range(10)])
print(random.choice(["red", "green", "blue"]))
print(random.uniform(1, 2))
print(random.randrange(0, 100, 5))
deck = list(range(10))
random.shuffle(deck)
print(deck)
random.seed(1)
print([round(random.random(), 6) for _ in range(3)])
print(random.sample(range(100), 5))
