name = "loop"
print(f"hello {}")
