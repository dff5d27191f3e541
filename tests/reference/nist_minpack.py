"""MINPACK on the NIST StRD nonlinear-regression problems of data/nist-strd/, from both starts:
the independent reference beside which docs/nist-strd.md shows this crate's counts and times.

Three runs per (problem, start), all scipy.optimize.least_squares(method='lm'), which calls
MINPACK's lmder (with a Jacobian) or lmdif (with finite differences):

- "lmder tight": the exact Jacobian, ftol = xtol = gtol = 1e-15 (as tight as scipy allows);
- "lmder": the exact Jacobian, scipy's default tolerances (1e-8);
- "lmdif": finite differences (scipy's jac='2-point' with method='lm' is lmdif), defaults.

The exact Jacobian is the complex-step derivative Im f(b + i h e_k) / h with h = 1e-200, which
is exact to rounding for these analytic models (no subtraction, no step-size error). Each row
records Jacobian and residual evaluations (scipy's njev and nfev), the minimum over parameters
of the log relative error against NIST's certified values, and the CPU time per solve (median
of repeated solves, process time; it includes Python's cost of calling the model, which for
these small problems is a large part of it).

    pip install scipy
    python3 tests/reference/nist_minpack.py > tests/reference/nist_minpack.json
"""

import json
import math
import os
import sys
import time

import numpy as np
from scipy.optimize import least_squares

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "data", "nist-strd")
TAU = 2.0 * math.pi

MODELS = {
    "Misra1a": lambda b, x: b[0] * (1 - np.exp(-b[1] * x)),
    "Chwirut2": lambda b, x: np.exp(-b[0] * x) / (b[1] + b[2] * x),
    "Chwirut1": lambda b, x: np.exp(-b[0] * x) / (b[1] + b[2] * x),
    "Lanczos3": lambda b, x: b[0] * np.exp(-b[1] * x) + b[2] * np.exp(-b[3] * x) + b[4] * np.exp(-b[5] * x),
    "Gauss1": lambda b, x: b[0] * np.exp(-b[1] * x) + b[2] * np.exp(-((x - b[3]) ** 2) / b[4] ** 2)
    + b[5] * np.exp(-((x - b[6]) ** 2) / b[7] ** 2),
    "DanWood": lambda b, x: b[0] * x ** b[1],
    "Kirby2": lambda b, x: (b[0] + b[1] * x + b[2] * x**2) / (1 + b[3] * x + b[4] * x**2),
    "Hahn1": lambda b, x: (b[0] + b[1] * x + b[2] * x**2 + b[3] * x**3) / (1 + b[4] * x + b[5] * x**2 + b[6] * x**3),
    "MGH17": lambda b, x: b[0] + b[1] * np.exp(-x * b[3]) + b[2] * np.exp(-x * b[4]),
    "Misra1c": lambda b, x: b[0] * (1 - (1 + 2 * b[1] * x) ** (-0.5)),
    "ENSO": lambda b, x: b[0] + b[1] * np.cos(TAU * x / 12) + b[2] * np.sin(TAU * x / 12)
    + b[4] * np.cos(TAU * x / b[3]) + b[5] * np.sin(TAU * x / b[3])
    + b[7] * np.cos(TAU * x / b[6]) + b[8] * np.sin(TAU * x / b[6]),
    "MGH09": lambda b, x: b[0] * (x**2 + x * b[1]) / (x**2 + x * b[2] + b[3]),
    "BoxBOD": lambda b, x: b[0] * (1 - np.exp(-b[1] * x)),
    "Eckerle4": lambda b, x: (b[0] / b[1]) * np.exp(-0.5 * ((x - b[2]) / b[1]) ** 2),
    "Misra1b": lambda b, x: b[0] * (1 - (1 + b[1] * x / 2) ** (-2)),
    "Misra1d": lambda b, x: b[0] * b[1] * x * (1 + b[1] * x) ** (-1),
    "Bennett5": lambda b, x: b[0] * (b[1] + x) ** (-1 / b[2]),
    "MGH10": lambda b, x: b[0] * np.exp(b[1] / (x + b[2])),
    "Rat42": lambda b, x: b[0] / (1 + np.exp(b[1] - b[2] * x)),
    "Rat43": lambda b, x: b[0] / ((1 + np.exp(b[1] - b[2] * x)) ** (1 / b[3])),
}
MODELS["Lanczos1"] = MODELS["Lanczos2"] = MODELS["Lanczos3"]
MODELS["Gauss2"] = MODELS["Gauss3"] = MODELS["Gauss1"]
MODELS["Thurber"] = MODELS["Hahn1"]

PROBLEMS = ["Misra1a", "Chwirut2", "Lanczos3", "Gauss1", "DanWood", "Kirby2", "Hahn1", "MGH17",
            "Lanczos1", "Misra1c", "ENSO", "MGH09", "Thurber", "BoxBOD", "Eckerle4",
            "Chwirut1", "Gauss2", "Misra1b", "Lanczos2", "Gauss3", "Misra1d", "MGH10", "Rat42",
            "Rat43", "Bennett5"]


def parse(name):
    """NIST's .dat: parameter lines `bK = start1 start2 certified sd`, the certified RSS, and
    the rows `y x` after the last line starting with `Data:`."""
    lines = open(os.path.join(DATA, name + ".dat")).read().splitlines()
    params = []
    for line in lines:
        t = line.strip()
        if "=" in t:
            key, rest = t.split("=", 1)
            key = key.strip()
            if key.startswith("b") and key[1:].isdigit():
                params.append([float(v) for v in rest.split()])
    start = max(i for i, l in enumerate(lines) if l.startswith("Data:"))
    rows = [[float(v) for v in l.split()] for l in lines[start + 1:] if l.strip()]
    y = np.array([r[0] for r in rows])
    x = np.array([r[1] for r in rows])
    return np.array(params), x, y


def lre(v, c):
    if not math.isfinite(v):
        return 0.0
    rel = abs(v - c) / abs(c)
    return 11.0 if rel == 0 else min(max(-math.log10(rel), 0.0), 11.0)


def cpu_per_solve(solve):
    """Median process time of one solve over repeated batches (at least 0.2 s in all)."""
    n, spent = 1, 0.0
    while True:
        t = time.process_time()
        for _ in range(n):
            solve()
        spent = time.process_time() - t
        if spent > 0.05:
            break
        n *= 4
    times = []
    for _ in range(5):
        t = time.process_time()
        for _ in range(n):
            solve()
        times.append((time.process_time() - t) / n)
    return sorted(times)[2]


def main():
    rows = []
    for name in PROBLEMS:
        params, x, y = parse(name)
        model = MODELS[name]

        def fun(b):
            return model(b, x) - y

        def jac(b):
            h = 1e-200
            cols = []
            for k in range(len(b)):
                bc = b.astype(complex)
                bc[k] += 1j * h
                cols.append(np.imag(model(bc, x)) / h)
            return np.array(cols).T

        for start in (1, 2):
            b0 = params[:, start - 1].copy()
            runs = {
                "lmder_tight": dict(jac=jac, ftol=1e-15, xtol=1e-15, gtol=1e-15),
                "lmder": dict(jac=jac),
                "lmdif": dict(jac="2-point"),
            }
            row = {"problem": name, "start": start}
            for key, kw in runs.items():
                r = least_squares(fun, b0, method="lm", max_nfev=100000, **kw)
                row[key] = {
                    "njev": int(r.njev) if r.njev is not None else 0,
                    "nfev": int(r.nfev),
                    "min_lre": min(lre(v, c) for v, c in zip(r.x, params[:, 2])),
                    "status": int(r.status),
                    "cpu_us": 1e6 * cpu_per_solve(
                        lambda: least_squares(fun, b0, method="lm", max_nfev=100000, **kw)),
                }
            rows.append(row)
            print(name, start, {k: (v["njev"], v["nfev"], round(v["min_lre"], 1), round(v["cpu_us"]))
                                for k, v in row.items() if isinstance(v, dict)}, file=sys.stderr)
    json.dump({"scipy": __import__("scipy").__version__, "rows": rows}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
