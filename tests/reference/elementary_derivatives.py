#!/usr/bin/env python3
"""Reference derivatives of the elementary functions at points where a naive derivative formula
loses its relative accuracy (large |x| for tanh, ±1 for atanh/asin/acos, 1 for acosh, huge |x|
for asinh/atan/acosh), for tests/diff/elementary_reference.rs.

This program does NOT read the Rust code. Each derivative of order 0 to 4 is computed with
mpmath (https://mpmath.org, `pip install mpmath`) at 400 significant digits by mpmath.diff
(its own high-precision numerical differentiation of mpmath's implementation of the function),
checked against a second evaluation at 460 digits (the working precision must exceed the
decades between f and its derivatives: tanh'(300) is 1e-261), and rounded to the nearest f64.
The points and values are f64, written as repr() strings (which round-trip) and read back
exactly by the test with Rust's str::parse.

    python3 tests/reference/elementary_derivatives.py   # rewrites elementary_derivatives.json
"""

import json
import os

import mpmath

ORDERS = 4

FUNCTIONS = {
    "tanh": mpmath.tanh,
    "sinh": mpmath.sinh,
    "cosh": mpmath.cosh,
    "atanh": mpmath.atanh,
    "asin": mpmath.asin,
    "acos": mpmath.acos,
    "acosh": mpmath.acosh,
    "asinh": mpmath.asinh,
    "atan": mpmath.atan,
    "exp_m1": mpmath.expm1,
    "ln_1p": mpmath.log1p,
}

NEAR_ONE = [1 - 2.0**-40, 1 - 2.0**-30, 1 - 2.0**-20, 1 - 2.0**-10, 0.999, 0.9]
POINTS = {
    "tanh": [0.1, 0.9, 1.0, 1.0000000000000002, 1.1, 2.5, 8.0, 12.0, 19.0, 20.0, 20.5, 25.0, 40.0, 100.0, 300.0,
             -0.3, -8.0, -20.5, -40.0, -300.0],
    "sinh": [1e-8, 0.1, 5.0, -3.0, 700.0],
    "cosh": [1e-8, 0.1, 5.0, -3.0, 700.0],
    "atanh": [0.1, 0.3, 0.6] + NEAR_ONE + [-x for x in NEAR_ONE],
    "asin": [0.1, 0.3, 0.6] + NEAR_ONE + [-x for x in NEAR_ONE],
    "acos": [0.1, 0.3, 0.6] + NEAR_ONE + [-x for x in NEAR_ONE],
    "acosh": [1 + 2.0**-40, 1 + 2.0**-30, 1 + 2.0**-20, 1.001, 1.5, 3.0, 1e3, 1e8, 1e20,
              1e100, 1e200],
    "asinh": [0.1, 2.0, -3.0, 1e8, -1e8, 1e20, 1e100, 1e160, -1e200],
    "atan": [0.1, 0.5, 3.0, -7.0, 1e8, 1e20, 1e60, -1e100, 1e150, 1e160],
    "exp_m1": [1e-10, -0.5, 3.0, -40.0],
    "ln_1p": [1e-10, 3.0, -0.5, -0.999, -1 + 2.0**-30],
}


def derivatives(f, x, dps):
    with mpmath.workdps(dps):
        return [mpmath.diff(f, mpmath.mpf(x), k) for k in range(ORDERS + 1)]


def main():
    cases = []
    for name, f in FUNCTIONS.items():
        for x in POINTS[name]:
            a = derivatives(f, x, 400)
            b = derivatives(f, x, 460)
            for k, (u, v) in enumerate(zip(a, b)):
                if max(abs(u), abs(v)) < mpmath.mpf(10) ** -340:
                    continue  # below the f64 range either way: 0.0
                if abs(u - v) > abs(v) * mpmath.mpf(10) ** -40:
                    raise SystemExit(f"{name}({x!r}) order {k}: 400 and 460 digits disagree")
            # as repr() strings: Rust's str::parse rounds them exactly (a JSON number might be
            # parsed to a neighbouring f64, which near ±1 moves atanh by a relative 1e-4)
            cases.append(
                {"function": name, "x": repr(x), "derivatives": [repr(float(v)) for v in b]}
            )
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "elementary_derivatives.json")
    with open(out, "w") as fh:
        fh.write("[\n")
        fh.write(",\n".join("  " + json.dumps(c) for c in cases))
        fh.write("\n]\n")
    print(f"wrote {len(cases)} cases to {out}")


if __name__ == "__main__":
    main()
