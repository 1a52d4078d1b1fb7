def greet(greeting="hi", name):
    print(greeting, name)
