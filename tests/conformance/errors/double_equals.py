total = = 0
