# The global statement: reading, rebinding and creating module variables
# from functions.
counter = 0
log = []

def bump():
    global counter
    counter += 1
    log.append(counter)

def make():
    global created
    created = "made in a function"

def shadow():
    counter = 100
    return counter

for _ in range(3):
    bump()
print(counter, log)
make()
print(created)
print(shadow(), counter)
