# An uncaught exception ends the program with exit status 1; output printed
# before it is kept.
def parse(text):
    return int(text)

print("before")
values = [parse(t) for t in ["1", "2", "three"]]
print("never printed")
