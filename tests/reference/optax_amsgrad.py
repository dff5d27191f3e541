#!/usr/bin/env python3
"""Reference iterates of optax.amsgrad(0.1) on a quadratic, from a transcription of optax's rule.

This program does NOT read the Rust code. It transcribes optax's published update
(optax/_src/transform.py, `scale_by_amsgrad`, optax 0.2.x; `optax.amsgrad(lr) =
chain(scale_by_amsgrad(b1, b2, eps, eps_root), scale_by_learning_rate(lr))`), with the defaults
b1 = 0.9, b2 = 0.999, eps = 1e-8, eps_root = 0:

    mu      <- (1 - b1) g    + b1 mu            (tree_update_moment, order 1)
    nu      <- (1 - b2) g**2 + b2 nu            (tree_update_moment_per_elem_norm, order 2)
    count   <- count + 1
    mu_hat  <- mu / (1 - b1**count)             (tree_bias_correction)
    nu_hat  <- nu / (1 - b2**count)
    nu_max  <- maximum(nu_max, nu_hat)          (the BIAS-CORRECTED moment; nu_max starts at 0)
    update  <- mu_hat / (sqrt(nu_max + eps_root) + eps)
    params  <- params - lr * update

(PyTorch's Adam(amsgrad=True) instead keeps the maximum of the raw nu and divides it by
1 - b2**t afterwards.)

Problem: f(x) = 1/2 x^T A x - b^T x, gradient A x - b, A = [[3, 0.5], [0.5, 1]], b = [1, -2],
x0 = [1.5, -0.5]. Writes the iterates x1..x5 to optax_amsgrad.json (repr floats round-trip).

Pure Python floats (IEEE double). Run:
    python3 tests/reference/optax_amsgrad.py
Optional cross-check against optax itself (needs `pip install optax`, float64):
    python3 tests/reference/optax_amsgrad.py --optax
Last run: optax 0.2.8 (jax float64): largest difference from the transcription 0.000e+00.
"""

import json
import math
import os
import sys

A = [[3.0, 0.5], [0.5, 1.0]]
B = [1.0, -2.0]
X0 = [1.5, -0.5]
LR, B1, B2, EPS, EPS_ROOT = 0.1, 0.9, 0.999, 1e-8, 0.0
STEPS = 5


def grad(x):
    return [A[i][0] * x[0] + A[i][1] * x[1] - B[i] for i in range(2)]


def transcription():
    x = list(X0)
    mu, nu, nu_max = [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]
    out = []
    for count in range(1, STEPS + 1):
        g = grad(x)
        for i in range(2):
            mu[i] = (1.0 - B1) * g[i] + B1 * mu[i]
            nu[i] = (1.0 - B2) * (g[i] ** 2) + B2 * nu[i]
            mu_hat = mu[i] / (1.0 - B1 ** count)
            nu_hat = nu[i] / (1.0 - B2 ** count)
            nu_max[i] = max(nu_max[i], nu_hat)
            x[i] = x[i] - LR * (mu_hat / (math.sqrt(nu_max[i] + EPS_ROOT) + EPS))
        out.append(list(x))
    return out


def with_optax():
    import jax

    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    import optax

    opt = optax.amsgrad(LR)
    x = jnp.array(X0, dtype=jnp.float64)
    state = opt.init(x)
    a, b = jnp.array(A), jnp.array(B)
    out = []
    for _ in range(STEPS):
        updates, state = opt.update(a @ x - b, state, x)
        x = optax.apply_updates(x, updates)
        out.append([float(v) for v in x])
    return out, optax.__version__


def main():
    ref = transcription()
    if "--optax" in sys.argv:
        got, version = with_optax()
        worst = max(abs(u - v) for p, q in zip(ref, got) for u, v in zip(p, q))
        print(f"optax {version}: largest difference from the transcription {worst:.3e}")
        return
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optax_amsgrad.json")
    with open(path, "w") as f:
        json.dump({"source": "optax scale_by_amsgrad transcription (optax_amsgrad.py)",
                   "lr": LR, "A": A, "b": B, "x0": X0, "iterates": ref}, f, indent=1)
        f.write("\n")
    for k, x in enumerate(ref, 1):
        print(k, repr(x[0]), repr(x[1]))


if __name__ == "__main__":
    main()
