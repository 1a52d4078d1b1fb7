# KeyError's str() is the repr of the key, also on the final traceback line.
inventory = {"apples": 3}
print(inventory["apples"])
print(inventory["pears"])
