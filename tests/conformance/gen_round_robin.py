# The old tutorials' coroutines before async/await: generators as tasks,
# run in turn by a hand-written round-robin scheduler with a list as its
# queue; a task sends a value back, one finishes with a return value, one
# is cancelled with throw() and one is stopped with close().
class Cancelled(Exception):
    pass

def worker(name, steps):
    done = 0
    try:
        for i in range(steps):
            reply = yield f"{name} step {i}"
            if reply:
                print(f"  {name} was told {reply!r}")
            done += 1
    except Cancelled:
        print(f"  {name} cancelled after {done} steps")
        return -done
    finally:
        print(f"  {name} cleans up")
    return done

def run(tasks):
    queue = list(tasks)
    results = {}
    turn = 0
    while queue:
        name, gen, reply = queue.pop(0)
        turn += 1
        try:
            if turn == 8 and name == "d":
                out = gen.throw(Cancelled())
            else:
                out = gen.send(reply)
        except StopIteration as stop:
            results[name] = stop.value
            print(f"turn {turn}: {name} finished with {stop.value}")
            continue
        print(f"turn {turn}: {out}")
        if turn == 7:
            gen.close()
            results[name] = "closed"
            continue
        queue.append((name, gen, "hi" if turn % 3 == 0 else None))
    return results

tasks = [(n, worker(n, k), None) for n, k in [("a", 2), ("b", 4), ("c", 3), ("d", 3)]]
print(run(tasks))
