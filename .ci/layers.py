#!/usr/bin/env python3
"""The module graph of src/, checked against the crate's one-way chain of layers.

Reads every `crate::…` path in the code of src/ (comments and doc comments are skipped: a doc
link may point anywhere), resolves the root re-exports of src/lib.rs to the module that owns
them, prints the graph, and fails on any edge that points up the chain (a module may use only
modules earlier in LAYERS) or on a module missing from LAYERS.
"""
import pathlib
import re
import sys

# Bottom up. Modules on one line are siblings: neither may use the other.
LAYERS = [
    ["numfmt"],
    ["scalar"],
    ["jet"],
    ["diff"],
    ["sparse"],
    ["functions"],
    ["check"],
    ["data"],
    ["params"],
    ["objective"],
    ["model"],
    ["optim"],
    ["train", "lsq"],
]
RANK = {m: i for i, layer in enumerate(LAYERS) for m in layer}

src = pathlib.Path(__file__).resolve().parent.parent / "src"
lib = (src / "lib.rs").read_text()


def code_lines(text):
    """The lines of `text` that are code: no `//` comments, no doc comments."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        yield line.split("//")[0] if "//" not in line.split('"')[0] else line


# Root names re-exported from a module: `pub use module::{a, b};` in lib.rs.
root_owner = {}
for m in re.finditer(r"^pub use (\w+)::\{([^}]*)\}", lib, re.M):
    for name in re.findall(r"\w+", m.group(2)):
        root_owner[name] = m.group(1)
for m in re.finditer(r"^pub use (\w+)::(\w+);", lib, re.M):
    root_owner[m.group(2)] = m.group(1)
# Macros exported at the root, by the module that defines them.
for path in src.rglob("*.rs"):
    for m in re.finditer(r"#\[macro_export\]\s*macro_rules!\s*(\w+)", path.read_text()):
        root_owner[m.group(1)] = path.relative_to(src).parts[0].removesuffix(".rs")

edges = {}
for path in sorted(src.rglob("*.rs")):
    rel = path.relative_to(src)
    module = rel.parts[0].removesuffix(".rs")
    if module == "lib":
        continue
    text = path.read_text()
    # unit tests (a `#[cfg(test)]` module at the end of a file) may use anything
    text = text.split("#[cfg(test)]\nmod tests")[0]
    text = "\n".join(code_lines(text))
    targets = set()
    for m in re.finditer(r"crate::(\{)?\s*(\w+)", text):
        targets.add(m.group(2))
    # `use crate::{a, b::c}` groups: every first segment inside the braces.
    for m in re.finditer(r"crate::\{([^}]*)\}", text, re.S):
        for seg in re.findall(r"(?:^|,)\s*(\w+)", m.group(1)):
            targets.add(seg)
    for t in targets:
        owner = t if t in RANK else root_owner.get(t)
        if owner is None:
            continue  # a name defined in lib.rs itself
        if owner != module:
            edges.setdefault(module, set()).add((owner, str(rel)))

bad = []
modules = sorted({m for m in edges} | {t for v in edges.values() for t, _ in v}, key=lambda m: RANK.get(m, -1))
print("layers, bottom up: " + " -> ".join("{" + ", ".join(l) + "}" if len(l) > 1 else l[0] for l in LAYERS))
for m in modules:
    if m not in RANK:
        bad.append(f"module `{m}` is not in the chain (.ci/layers.py LAYERS)")
        continue
    uses = sorted({t for t, _ in edges.get(m, ())}, key=lambda t: RANK.get(t, -1))
    print(f"  {m:<10} uses {', '.join(uses) if uses else '-'}")
    for t, where in sorted(edges.get(m, ())):
        if t not in RANK:
            bad.append(f"module `{t}` (used by {where}) is not in the chain")
        elif RANK[t] >= RANK[m]:
            bad.append(f"{where}: `{m}` uses `{t}`, which is not below it in the chain")
if bad:
    print("\nmodule graph check FAILED:")
    for b in sorted(set(bad)):
        print("  " + b)
    sys.exit(1)
print("module graph check passed: every edge points down the chain")
