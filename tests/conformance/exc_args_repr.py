# str() and repr() of exceptions with zero, one and several arguments.
for e in [Exception(), Exception("one"), Exception("a", 2), ValueError(3.5),
          KeyError("k"), KeyError(), RuntimeError(None), TypeError(["x"])]:
    print(repr(e), "|", str(e), "|", e.args, "|", len(e.args))
e = ValueError("msg")
print(e.args[0], type(e), type(e).__name__)
print(isinstance(e, ValueError), isinstance(e, Exception), isinstance(e, KeyError))
