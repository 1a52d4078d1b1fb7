# Keyword-only parameters after * and after *args, and the TypeErrors a
# wrong call raises.
def connect(host, *, port=80, secure=False):
    return f"{host}:{port} secure={secure}"

print(connect("a.example"))
print(connect("b.example", port=443, secure=True))
try:
    connect("c.example", 8080)
except TypeError as e:
    print("TypeError:", e)

def need(*, key):
    return key

print(need(key=1))
try:
    need()
except TypeError as e:
    print("TypeError:", e)

def two(a, b):
    return a + b

try:
    two(1)
except TypeError as e:
    print("TypeError:", e)
try:
    two(1, 2, 3)
except TypeError as e:
    print("TypeError:", e)
try:
    two(1, b=2, c=3)
except TypeError as e:
    print("TypeError:", e)
try:
    two(1, a=2)
except TypeError as e:
    print("TypeError:", e)
