# title: Generators taking turns (a hand-made scheduler)
# description: Before async and await, coroutines were generators: each yield
# description: hands control back to a scheduler. Here a small round-robin
# description: scheduler keeps its tasks in a list, resumes the first one with
# description: next(), and puts it back at the end until its generator is
# description: exhausted; the StopIteration it raises carries the task's
# description: return value. It is what asyncio's event loop does, by hand.
def count_down(name, n):
    while n > 0:
        print(f"{name}: {n}")
        yield
        n -= 1
    return f"{name} done"

def count_up(name, limit):
    for i in range(1, limit + 1):
        print(f"{name}: {i}")
        yield
    return f"{name} reached {limit}"

def run(tasks):
    ready = list(tasks)
    results = []
    while ready:
        task = ready.pop(0)
        try:
            next(task)
        except StopIteration as stop:
            results.append(stop.value)
            continue
        ready.append(task)
    return results

print(run([count_down("A", 3), count_up("B", 2), count_down("C", 4)]))
