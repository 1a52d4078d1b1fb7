# try / except / else / finally: which blocks run in which order, for the
# no-error, caught-error and return-inside-try cases.
def attempt(x):
    try:
        print("try", x)
        r = 10 // x
    except ZeroDivisionError as e:
        print("except:", e)
        return "failed"
    else:
        print("else", r)
        return r
    finally:
        print("finally", x)

print(attempt(2))
print(attempt(0))

def finally_wins():
    try:
        return "from try"
    finally:
        print("cleanup runs before the return")

print(finally_wins())

def loop_with_finally():
    for i in range(3):
        try:
            if i == 1:
                continue
            if i == 2:
                break
            print("body", i)
        finally:
            print("finally", i)
    return "done"

print(loop_with_finally())
