print("start")
nonlocal count
