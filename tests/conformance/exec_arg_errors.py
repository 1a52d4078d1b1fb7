# exec_arg_errors.py - concurrent.futures.wait() and as_completed() refuse bad
# arguments with CPython's messages.
import concurrent.futures as cf
for call in (lambda: cf.wait(), lambda: cf.wait([], 1, "ALL_COMPLETED", 4), lambda: cf.wait([], x=1),
             lambda: cf.wait([], 1, timeout=2), lambda: cf.as_completed(), lambda: cf.as_completed([], 1, 2),
             lambda: cf.as_completed([], y=3), lambda: cf.wait([], return_when=None)):
    try:
        r = call()
        print("ok", type(r).__name__)
    except Exception as e:
        print(type(e).__name__, e)
