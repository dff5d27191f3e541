#!/usr/bin/env bash
# Instructions per solve on every NIST StRD run (data/nist-strd/, both starts), under
# valgrind --tool=callgrind: LevenbergMarquardt::default() (benches/lsq.rs --callgrind) beside
# cminpack's lmdif1 with its defaults and lmder with hand-coded Jacobians and tight tolerances
# (tests/reference/nist_cminpack.c --callgrind, built for baseline x86-64 as nist_cminpack_cg).
# Each count is the difference of COUNT solves and 0 solves, divided by COUNT (setup cancels).
# Deterministic, unlike CPU times on a shared machine; but instructions are not time (libm's
# exp, division and the vector width differ between the two): docs/nist-strd.md shows both.
#
#   apt-get install libcminpack-dev valgrind
#   make -C tests/reference nist_cminpack_cg
#   benches/lsq_instructions.sh            # COUNT=5 by default
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/bench_bin.sh
count="${COUNT:-5}"
lsq_bin=$(bench_executable lsq bench --bench lsq --no-run)
[ -x "$lsq_bin" ] || { echo "could not build the lsq bench" >&2; exit 1; }
c_bin=tests/reference/nist_cminpack_cg
[ -x "$c_bin" ] || { echo "build $c_bin first (make -C tests/reference nist_cminpack_cg)" >&2; exit 1; }
collected() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    sed -n 's/^==[0-9]*== Collected : \([0-9]*\)$/\1/p'; }
per_solve() { # command... (without COUNT)
    local base full
    base=$(collected "$@" 0)
    full=$(collected "$@" "$count")
    echo $(( (full - base + count / 2) / count ))
}
echo "| problem | start | dualgrad | cminpack lmdif1 (defaults) | ratio | cminpack lmder tight | ratio |"
echo "|---|---|---:|---:|---:|---:|---:|"
problems=$(sed -n 's/^ *("\([A-Za-z0-9]*\)", "\(lower\|average\|higher\)"),$/\1/p' tests/lsq/nist.rs)
for p in $problems; do
    for s in 1 2; do
        ours=$(per_solve "$lsq_bin" --callgrind "$p:$s")
        dif=$(per_solve "$c_bin" --callgrind data/nist-strd "$p" "$s" lmdif1)
        der=$(per_solve "$c_bin" --callgrind data/nist-strd "$p" "$s" lmder_tight)
        python3 -c "print(f'| $p | $s | {$ours:,} | {$dif:,} | {$ours/$dif:.2f} | {$der:,} | {$ours/$der:.2f} |')"
    done
done
