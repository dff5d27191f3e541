#!/usr/bin/env python3
"""Independent reference trajectories for dualgrad's first-order optimizers.

This program does NOT read the Rust code. It transcribes the update rules as published:

* PyTorch convention: the pseudo-code in the docstrings of torch.optim.SGD, Adagrad, RMSprop,
  Adam (amsgrad=True keeps the running max of the *raw* second moment, as PyTorch's
  implementation does) and AdamW (decoupled decay theta <- theta (1 - lr*lambda) first).
  Adagrad's accumulator starts at `initial_accumulator_value` (PyTorch's implementation; older
  docstrings wrote 0).
* Seed-article / optax variants:
  - momentum as an exponential average  v <- beta v + (1 - beta) g,  v0 = 0,  theta <- theta - lr v
    (Nesterov in this form: theta <- theta - lr ((1 - beta) g + beta v));
  - eps inside the square root for RMSprop and Adagrad: g / sqrt(s + eps)
    (optax.rmsprop / optax.adagrad; optax.adagrad's defaults are initial_accumulator_value=0.1,
    eps=1e-7).
* Learning-rate schedule inside the step: the rate used by update number t (t = 1, 2, ...) is
  schedule(t - 1), i.e. the schedule's step index starts at 0.

Problem: f(x) = 1/2 x^T A x - b^T x, gradient A x - b, A = [[3, 1], [1, 2]], b = [1, -1],
x0 = [2, 1.5]. For every configuration the five iterates x1..x5 are written to
optim_trajectories.json (floats printed with repr, which round-trips exactly).

Pure Python floats (IEEE double), math.sqrt (correctly rounded). Run:
    python3 tests/reference/optim_reference.py
"""

import json
import math
import os

A = [[3.0, 1.0], [1.0, 2.0]]
B = [1.0, -1.0]
X0 = [2.0, 1.5]
STEPS = 5


def grad(x):
    return [A[i][0] * x[0] + A[i][1] * x[1] - B[i] for i in range(2)]


# ---------------------------------------------------------------- schedules
def schedule_rate(sched, k):
    kind = sched["kind"]
    if kind == "constant":
        return sched["lr"]
    if kind == "exponential":
        return sched["lr"] * sched["gamma"] ** k
    raise ValueError(kind)


# ---------------------------------------------------------------- optimizers (per coordinate)
def run_sgd(h, sched):
    mu, tau, nesterov, wd = h["momentum"], h["dampening"], h["nesterov"], h["weight_decay"]
    form = h["form"]  # "pytorch" or "averaged"
    x = list(X0)
    b = [0.0, 0.0]
    out = []
    for t in range(1, STEPS + 1):
        lr = schedule_rate(sched, t - 1)
        g = grad(x)
        for i in range(2):
            gi = g[i]
            if wd != 0.0:
                gi = gi + wd * x[i]
            if mu != 0.0:
                if form == "pytorch":
                    # torch.optim.SGD: b1 = g; b_t = mu b_{t-1} + (1 - tau) g
                    if t > 1:
                        b[i] = mu * b[i] + (1.0 - tau) * gi
                    else:
                        b[i] = gi
                    if nesterov:
                        gi = gi + mu * b[i]
                    else:
                        gi = b[i]
                else:
                    # seed article: v <- beta v + (1 - beta) g, v0 = 0
                    b[i] = mu * b[i] + (1.0 - mu) * gi
                    if nesterov:
                        gi = (1.0 - mu) * gi + mu * b[i]
                    else:
                        gi = b[i]
            x[i] = x[i] - lr * gi
        out.append(list(x))
    return out


def run_adagrad(h, sched):
    lr_decay, wd, acc0, eps = h["lr_decay"], h["weight_decay"], h["initial_accumulator_value"], h["eps"]
    inside = h["eps_inside_sqrt"]
    x = list(X0)
    s = [acc0, acc0]
    out = []
    for t in range(1, STEPS + 1):
        gamma = schedule_rate(sched, t - 1)
        gamma_t = gamma / (1.0 + (t - 1) * lr_decay)
        g = grad(x)
        for i in range(2):
            gi = g[i]
            if wd != 0.0:
                gi = gi + wd * x[i]
            s[i] = s[i] + gi * gi
            if inside:
                x[i] = x[i] - gamma_t * gi / math.sqrt(s[i] + eps)
            else:
                x[i] = x[i] - gamma_t * gi / (math.sqrt(s[i]) + eps)
        out.append(list(x))
    return out


def run_rmsprop(h, sched):
    alpha, eps, wd, mu, centered = h["alpha"], h["eps"], h["weight_decay"], h["momentum"], h["centered"]
    inside = h["eps_inside_sqrt"]
    x = list(X0)
    v = [0.0, 0.0]
    buf = [0.0, 0.0]
    gave = [0.0, 0.0]
    out = []
    for t in range(1, STEPS + 1):
        lr = schedule_rate(sched, t - 1)
        g = grad(x)
        for i in range(2):
            gi = g[i]
            if wd != 0.0:
                gi = gi + wd * x[i]
            v[i] = alpha * v[i] + (1.0 - alpha) * gi * gi
            vt = v[i]
            if centered:
                gave[i] = gave[i] * alpha + (1.0 - alpha) * gi
                vt = vt - gave[i] * gave[i]
            denom = math.sqrt(vt + eps) if inside else math.sqrt(vt) + eps
            if mu > 0.0:
                buf[i] = mu * buf[i] + gi / denom
                x[i] = x[i] - lr * buf[i]
            else:
                x[i] = x[i] - lr * gi / denom
        out.append(list(x))
    return out


def run_adam(h, sched):
    b1, b2, eps, wd, amsgrad, decoupled = (
        h["beta1"], h["beta2"], h["eps"], h["weight_decay"], h["amsgrad"], h["decoupled"])
    x = list(X0)
    m = [0.0, 0.0]
    v = [0.0, 0.0]
    vmax = [0.0, 0.0]
    out = []
    for t in range(1, STEPS + 1):
        lr = schedule_rate(sched, t - 1)
        g = grad(x)
        for i in range(2):
            gi = g[i]
            if decoupled:
                # AdamW: theta <- theta - gamma lambda theta
                x[i] = x[i] - lr * wd * x[i]
            elif wd != 0.0:
                gi = gi + wd * x[i]
            m[i] = b1 * m[i] + (1.0 - b1) * gi
            v[i] = b2 * v[i] + (1.0 - b2) * gi * gi
            mhat = m[i] / (1.0 - b1 ** t)
            if amsgrad:
                vmax[i] = max(vmax[i], v[i])
                vhat = vmax[i] / (1.0 - b2 ** t)
            else:
                vhat = v[i] / (1.0 - b2 ** t)
            x[i] = x[i] - lr * mhat / (math.sqrt(vhat) + eps)
        out.append(list(x))
    return out


RUN = {"sgd": run_sgd, "adagrad": run_adagrad, "rmsprop": run_rmsprop, "adam": run_adam}


def const(lr):
    return {"kind": "constant", "lr": lr}


def sgd(**kw):
    h = {"momentum": 0.0, "dampening": 0.0, "nesterov": False, "weight_decay": 0.0, "form": "pytorch"}
    h.update(kw)
    return h


def adagrad(**kw):
    h = {"lr_decay": 0.0, "weight_decay": 0.0, "initial_accumulator_value": 0.0, "eps": 1e-10,
         "eps_inside_sqrt": False}
    h.update(kw)
    return h


def rmsprop(**kw):
    h = {"alpha": 0.99, "eps": 1e-8, "weight_decay": 0.0, "momentum": 0.0, "centered": False,
         "eps_inside_sqrt": False}
    h.update(kw)
    return h


def adam(**kw):
    h = {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.0, "amsgrad": False,
         "decoupled": False}
    h.update(kw)
    return h


CASES = [
    # ---- PyTorch convention
    ("sgd_plain", "pytorch", "sgd", sgd(), const(0.1)),
    ("sgd_momentum", "pytorch", "sgd", sgd(momentum=0.9), const(0.1)),
    ("sgd_momentum_dampening", "pytorch", "sgd", sgd(momentum=0.9, dampening=0.5), const(0.1)),
    ("sgd_nesterov", "pytorch", "sgd", sgd(momentum=0.9, nesterov=True), const(0.1)),
    ("sgd_momentum_weight_decay", "pytorch", "sgd", sgd(momentum=0.8, weight_decay=0.05), const(0.1)),
    ("sgd_exponential_schedule", "pytorch", "sgd", sgd(momentum=0.5),
     {"kind": "exponential", "lr": 0.2, "gamma": 0.7}),
    ("adagrad_plain", "pytorch", "adagrad", adagrad(), const(0.1)),
    ("adagrad_full", "pytorch", "adagrad",
     adagrad(lr_decay=0.1, weight_decay=0.05, initial_accumulator_value=0.5), const(0.3)),
    ("rmsprop_plain", "pytorch", "rmsprop", rmsprop(), const(0.01)),
    ("rmsprop_centered_momentum", "pytorch", "rmsprop",
     rmsprop(alpha=0.9, centered=True, momentum=0.9, weight_decay=0.05), const(0.01)),
    ("adam_plain", "pytorch", "adam", adam(), const(0.1)),
    ("adam_weight_decay", "pytorch", "adam", adam(beta1=0.8, beta2=0.99, weight_decay=0.05), const(0.1)),
    ("amsgrad", "pytorch", "adam", adam(beta2=0.9, amsgrad=True), const(0.1)),
    ("adamw", "pytorch", "adam", adam(weight_decay=0.1, decoupled=True), const(0.1)),
    ("adamw_amsgrad", "pytorch", "adam", adam(weight_decay=0.1, decoupled=True, amsgrad=True, beta2=0.9),
     const(0.1)),
    ("adam_exponential_schedule", "pytorch", "adam", adam(),
     {"kind": "exponential", "lr": 0.2, "gamma": 0.5}),
    # ---- seed-article / optax variants
    ("sgd_averaged_momentum", "seed", "sgd", sgd(momentum=0.9, form="averaged"), const(0.1)),
    ("sgd_averaged_nesterov", "seed", "sgd", sgd(momentum=0.9, nesterov=True, form="averaged"), const(0.1)),
    ("sgd_averaged_weight_decay", "seed", "sgd",
     sgd(momentum=0.5, weight_decay=0.05, form="averaged"), const(0.3)),
    ("sgd_seed_exponential_decay", "seed", "sgd", sgd(momentum=0.9, form="averaged"),
     {"kind": "exponential", "lr": 0.3, "gamma": 0.9}),
    ("rmsprop_seed", "seed", "rmsprop", rmsprop(alpha=0.9, eps=1e-8, eps_inside_sqrt=True), const(0.01)),
    ("rmsprop_optax_centered_momentum", "optax", "rmsprop",
     rmsprop(alpha=0.9, eps=1e-8, centered=True, momentum=0.9, eps_inside_sqrt=True), const(0.01)),
    ("adagrad_seed", "seed", "adagrad", adagrad(eps=1e-8, eps_inside_sqrt=True), const(0.1)),
    ("adagrad_optax", "optax", "adagrad",
     adagrad(eps=1e-7, initial_accumulator_value=0.1, eps_inside_sqrt=True), const(0.1)),
    ("adam_seed", "seed", "adam", adam(beta1=0.9, beta2=0.999, eps=1e-8), const(0.05)),
    # ---- a large eps, where its placement changes the trajectory visibly
    ("rmsprop_large_eps", "pytorch", "rmsprop", rmsprop(alpha=0.9, eps=0.5), const(0.1)),
    ("rmsprop_seed_large_eps", "seed", "rmsprop", rmsprop(alpha=0.9, eps=0.5, eps_inside_sqrt=True),
     const(0.1)),
    ("adagrad_large_eps", "pytorch", "adagrad", adagrad(eps=0.5), const(0.5)),
    ("adagrad_seed_large_eps", "seed", "adagrad", adagrad(eps=0.5, eps_inside_sqrt=True), const(0.5)),
]


def main():
    cases = []
    for name, convention, kind, hyper, sched in CASES:
        cases.append({
            "name": name,
            "convention": convention,
            "optimizer": kind,
            "hyper": hyper,
            "schedule": sched,
            "iterates": RUN[kind](hyper, sched),
        })
    doc = {
        "generator": "tests/reference/optim_reference.py",
        "problem": {"A": A, "b": B, "x0": X0, "steps": STEPS},
        "cases": cases,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optim_trajectories.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {path}")


if __name__ == "__main__":
    main()
