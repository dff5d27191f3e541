#!/usr/bin/env python3
"""Cross-check of optim_trajectories.json against optax itself (float64).

Optional: needs `pip install optax` (it pulls jax). Not run by `cargo test`; the Rust test reads
the JSON written by optim_reference.py. This script re-runs every configuration that optax
implements with the same semantics and reports the largest relative deviation of the five
iterates from the reference (the Rust test demands 1e-12 against the same file).

PyTorch-only settings (dampening, Adagrad's lr_decay, eps outside the square root for RMSprop
and Adagrad) have no optax counterpart and are skipped. optax.amsgrad keeps the maximum of the
*bias-corrected* second moment, PyTorch (and dualgrad) of the raw one; it is run for information
and expected to differ.

    python3 tests/reference/optax_crosscheck.py
"""

import json
import os

import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import optax  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def lr_of(s):
    if s["kind"] == "constant":
        return s["lr"]
    # optax.exponential_decay(lr, 1, gamma) computes in float32 (its int32 step count divided by
    # an int promotes to float32 even with x64), so the same schedule is written out in float64.
    lr, gamma = s["lr"], s["gamma"]
    return lambda count: lr * jnp.power(gamma, count.astype(jnp.float64))


def transform(case):
    h, s, kind = case["hyper"], case["schedule"], case["optimizer"]
    lr = lr_of(s)
    if kind == "sgd":
        if h["dampening"] != 0.0:
            return None
        wd = [optax.add_decayed_weights(h["weight_decay"])] if h["weight_decay"] else []
        if h["form"] == "pytorch":
            mom = h["momentum"] or None
            return optax.chain(*wd, optax.sgd(lr, momentum=mom, nesterov=h["nesterov"]))
        if h["nesterov"]:
            return None  # no optax counterpart of the averaged Nesterov form
        return optax.chain(*wd, optax.ema(h["momentum"], debias=False),
                           optax.scale_by_learning_rate(lr))
    if kind == "adagrad":
        if not h["eps_inside_sqrt"] or h["lr_decay"] or h["weight_decay"]:
            return None
        return optax.adagrad(lr, initial_accumulator_value=h["initial_accumulator_value"],
                             eps=h["eps"])
    if kind == "rmsprop":
        if not h["eps_inside_sqrt"] or h["weight_decay"]:
            return None
        return optax.rmsprop(lr, decay=h["alpha"], eps=h["eps"], centered=h["centered"],
                             momentum=h["momentum"] or None)
    if kind == "adam":
        b1, b2, eps = h["beta1"], h["beta2"], h["eps"]
        if h["amsgrad"]:
            if h["decoupled"]:
                return None
            return optax.amsgrad(lr, b1=b1, b2=b2, eps=eps)
        if h["decoupled"]:
            return optax.adamw(lr, b1=b1, b2=b2, eps=eps, weight_decay=h["weight_decay"])
        wd = [optax.add_decayed_weights(h["weight_decay"])] if h["weight_decay"] else []
        return optax.chain(*wd, optax.adam(lr, b1=b1, b2=b2, eps=eps))
    return None


def main():
    with open(os.path.join(HERE, "optim_trajectories.json")) as f:
        doc = json.load(f)
    a = jnp.array(doc["problem"]["A"], dtype=jnp.float64)
    b = jnp.array(doc["problem"]["b"], dtype=jnp.float64)
    x0 = jnp.array(doc["problem"]["x0"], dtype=jnp.float64)
    checked, worst = 0, 0.0
    for case in doc["cases"]:
        tx = transform(case)
        if tx is None:
            print(f"{case['name']:>34}: no optax counterpart, skipped")
            continue
        x, state = x0, tx.init(x0)
        rel = 0.0
        for want in case["iterates"]:
            g = a @ x - b
            updates, state = tx.update(g, state, x)
            x = optax.apply_updates(x, updates)
            w = jnp.array(want)
            rel = max(rel, float(jnp.linalg.norm(x - w) / jnp.linalg.norm(w)))
        note = ""
        if case["hyper"].get("amsgrad"):
            note = "  (optax's AMSGrad: max of the bias-corrected moment; expected to differ)"
        else:
            checked += 1
            worst = max(worst, rel)
        print(f"{case['name']:>34}: max relative deviation {rel:.1e}{note}")
    print(f"{checked} configurations checked against optax {optax.__version__}; "
          f"worst relative deviation {worst:.1e}")


if __name__ == "__main__":
    main()
