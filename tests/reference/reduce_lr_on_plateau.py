#!/usr/bin/env python3
"""Reference learning-rate sequences of PyTorch's ReduceLROnPlateau on scripted metric sequences.

This program does NOT read the Rust code. It transcribes the rule of
torch.optim.lr_scheduler.ReduceLROnPlateau as published in PyTorch 2.x
(torch/optim/lr_scheduler.py: __init__, step, _reduce_lr, in_cooldown, is_better,
_init_is_better), for one parameter group:

    step(metrics):
        current = float(metrics)
        if is_better(current, best): best = current; num_bad_epochs = 0
        else: num_bad_epochs += 1
        if in_cooldown (cooldown_counter > 0):
            cooldown_counter -= 1; num_bad_epochs = 0
        if num_bad_epochs > patience:
            _reduce_lr: new_lr = max(old_lr * factor, min_lr); if old_lr - new_lr > eps: lr = new_lr
            cooldown_counter = cooldown; num_bad_epochs = 0

    is_better(a, best):
        min, rel: a < best * (1 - threshold)      min, abs: a < best - threshold
        max, rel: a > best * (threshold + 1)      max, abs: a > best + threshold
    best starts at +inf (min) or -inf (max).

For every case the learning rate after each step() is written to reduce_lr_on_plateau.json.
Pure Python floats. Run:
    python3 tests/reference/reduce_lr_on_plateau.py
If torch is installed, `--torch` compares with torch itself instead of writing the file.
"""

import json
import math
import os
import sys


def transcription(case):
    lr = case["lr"]
    mode, factor, patience = case["mode"], case["factor"], case["patience"]
    threshold, tmode = case["threshold"], case["threshold_mode"]
    cooldown, min_lr, eps = case["cooldown"], case["min_lr"], case["eps"]
    best = math.inf if mode == "min" else -math.inf
    bad, cooldown_counter = 0, 0
    out = []

    def is_better(a, best):
        if mode == "min" and tmode == "rel":
            return a < best * (1.0 - threshold)
        if mode == "min" and tmode == "abs":
            return a < best - threshold
        if mode == "max" and tmode == "rel":
            return a > best * (threshold + 1.0)
        return a > best + threshold

    for m in case["metrics"]:
        current = float(m)
        if is_better(current, best):
            best = current
            bad = 0
        else:
            bad += 1
        if cooldown_counter > 0:
            cooldown_counter -= 1
            bad = 0
        if bad > patience:
            new_lr = max(lr * factor, min_lr)
            if lr - new_lr > eps:
                lr = new_lr
            cooldown_counter = cooldown
            bad = 0
        out.append(lr)
    return out


def with_torch(case):
    import torch

    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=case["lr"])
    s = torch.optim.lr_scheduler.ReduceLROnPlateau(
        opt, mode=case["mode"], factor=case["factor"], patience=case["patience"],
        threshold=case["threshold"], threshold_mode=case["threshold_mode"],
        cooldown=case["cooldown"], min_lr=case["min_lr"], eps=case["eps"])
    out = []
    for m in case["metrics"]:
        s.step(m)
        out.append(opt.param_groups[0]["lr"])
    return out


def base(**kw):
    c = dict(lr=0.1, mode="min", factor=0.1, patience=10, threshold=1e-4,
             threshold_mode="rel", cooldown=0, min_lr=0.0, eps=1e-8)
    c.update(kw)
    return c


# Scripted metric sequences: a plateau, noise around a level, a slow decline below and above
# the relative threshold, a NaN, and an accuracy that rises then stalls.
PLATEAU = [1.0, 0.9, 0.8] + [0.8] * 30
SLOW = [1.0 - 0.00001 * k for k in range(25)]  # improves by 1e-5 per epoch
STEADY = [1.0 * 0.99 ** k for k in range(25)]   # improves by 1% per epoch
NOISY = [0.5, 0.52, 0.49, 0.51, 0.495, 0.5, 0.48, 0.49, 0.5, 0.47, 0.5, 0.5, 0.5, 0.5, 0.46,
         0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
ACCURACY = [0.5, 0.6, 0.7, 0.75, 0.75, 0.74, 0.75, 0.76, 0.76, 0.76, 0.76, 0.76, 0.75, 0.75]
WITH_NAN = [1.0, 0.5, float("nan"), 0.5, 0.4, float("nan"), float("nan"), 0.4, 0.4, 0.4]

CASES = {
    "defaults_plateau": base(metrics=PLATEAU),
    "patience0_plateau": base(patience=0, metrics=PLATEAU),
    "patience2_factor05_plateau": base(patience=2, factor=0.5, metrics=PLATEAU),
    "cooldown3_plateau": base(patience=1, factor=0.5, cooldown=3, metrics=PLATEAU),
    "min_lr_plateau": base(patience=0, factor=0.5, min_lr=0.02, metrics=PLATEAU),
    "eps_blocks_reduction": base(lr=1e-7, patience=0, factor=0.5, eps=1e-7, metrics=PLATEAU),
    "rel_threshold_slow": base(patience=3, factor=0.5, metrics=SLOW),
    "abs_threshold_slow": base(patience=3, factor=0.5, threshold=5e-6, threshold_mode="abs",
                               metrics=SLOW),
    "rel_threshold_steady": base(patience=1, factor=0.5, threshold=0.02, metrics=STEADY),
    "noisy_patience2_cooldown1": base(patience=2, factor=0.3, cooldown=1, metrics=NOISY),
    "max_mode_accuracy": base(mode="max", patience=1, factor=0.5, metrics=ACCURACY),
    "max_mode_abs_accuracy": base(mode="max", patience=1, factor=0.5, threshold=0.02,
                                  threshold_mode="abs", metrics=ACCURACY),
    "nan_is_a_bad_epoch": base(patience=1, factor=0.5, metrics=WITH_NAN),
}


def main():
    if "--torch" in sys.argv:
        import torch
        worst = 0.0
        for name, case in CASES.items():
            a, b = transcription(case), with_torch(case)
            worst = max(worst, max(abs(x - y) for x, y in zip(a, b)))
        print(f"torch {torch.__version__}: largest difference {worst:.3e}")
        return
    doc = {"source": "transcription of torch.optim.lr_scheduler.ReduceLROnPlateau (PyTorch 2.x), "
                     "tests/reference/reduce_lr_on_plateau.py",
           "cases": [dict(name=n, **c, lrs=transcription(c)) for n, c in CASES.items()]}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reduce_lr_on_plateau.json")
    with open(path, "w") as f:
        # NaN is written as the string "nan" (JSON has no NaN).
        text = json.dumps(doc, indent=1, allow_nan=True).replace("NaN", '"nan"')
        f.write(text + "\n")
    for c in doc["cases"]:
        print(c["name"], c["lrs"])


if __name__ == "__main__":
    main()
