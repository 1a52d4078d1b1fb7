# random's errors: CPython's exception types and messages.
import random

tries = [
    lambda: random.randrange(0),
    lambda: random.randrange(5, 2),
    lambda: random.randrange(1, 10, 0),
    lambda: random.randrange(10, 1, 2),
    lambda: random.randrange(5, step=2),
    lambda: random.randrange(2.5),
    lambda: random.randint(1, 2.5),
    lambda: random.randint(1),
    lambda: random.choice([]),
    lambda: random.sample({1, 2}, 1),
    lambda: random.sample([1], 2),
    lambda: random.random(1),
    lambda: random.seed([1]),
    lambda: random.getrandbits(-1),
    lambda: random.choices([1, 2], weights=[1], k=2),
    lambda: random.choices([1, 2], weights=[0, 0]),
]
for t in tries:
    try:
        t()
    except Exception as e:
        print(type(e).__name__ + ":", e)
