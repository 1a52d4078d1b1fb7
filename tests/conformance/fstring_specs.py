# f-string format specs on floats and ints: precision, width, alignment,
# fill, sign, thousands separators, percent, exponent, bases.
pi = 3.14159265
n = 1234567
print(f"{pi:.4f}|{pi:.0f}|{pi:10.3f}|{pi:<10.2f}|{pi:^10.1f}|")
print(f"{n:>12}|{n:<12}|{n:^12}|{n:*>12}|{n:012}|")
print(f"{n:,}|{n:_}|{pi * 1000000:,.2f}|")
print(f"{0.256:%}|{0.256:.1%}|{1:.0%}|")
print(f"{pi:e}|{pi:.2e}|{n:E}|{0.000123:g}|{123456789.0:g}|")
print(f"{255:x}|{255:X}|{255:o}|{255:b}|{255:#x}|{255:#b}|")
print(f"{7:+}|{-7:+}|{7: }|{7:03}|{-7:05}|")
print(f"{'abc':>8}|{'abc':<8}|{'abc':^8}|{'abc':.2}|{'abc':-^9}|")
print(f"{2.5:.0f}|{3.5:.0f}|{0.125:.2f}|{1e16:.1f}|{-0.0:.1f}|")
print(f"{42:d}|{42.0:f}|{1/3:.10f}|{10:5d}|")
print(f"{True:>6}|{None!s:>6}|")
