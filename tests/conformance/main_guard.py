# The if __name__ == "__main__": idiom; the module's name is __main__.
def main():
    print("running main, __name__ is", __name__)
    return 0

print("module level first")

if __name__ == "__main__":
    main()
else:
    print("imported")
