class MyError(Exception):
    pass

def f(x):
    try:
        if x < 0:
            raise MyError("negative") from None
        return x ** 0.5
    except (MyError, ValueError) as e:
        print(f"{type(e).__name__}: {e!r}")
    else:
        print("ok")
    finally:
        print("finally")
