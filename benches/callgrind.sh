#!/usr/bin/env bash
# Instruction counts per evaluation for every workload × variant of benches/workloads/mod.rs,
# under valgrind --tool=callgrind, as a markdown table with the ratio to the hand-written gradient.
#
#   benches/callgrind.sh            # every case (the multi-threaded model rows are timed only,
#                                   # in `cargo bench --bench report --features parallel`)
#   benches/callgrind.sh xor        # only workloads whose name contains "xor"
#   VARIANTS='^(hand|floor|dualgrad|model)$' benches/callgrind.sh  # only variants matching the
#                                   # (bash) regular expression; `hand` is always kept (the ratio)
#   OUT=/tmp/cg benches/callgrind.sh  # keep the callgrind.out files there (for callgrind_annotate)
#   BIN=path/to/report benches/callgrind.sh  # use an already built report binary (e.g. one built
#                                            # with other RUSTFLAGS or another engine)
#   benches/callgrind.sh lsq        # only the least-squares solves (benches/lsq.rs: NIST's Gauss1,
#                                   # 250 points, and Misra1a, 14 points, by LevenbergMarquardt)
#   BENCH=sparse benches/callgrind.sh        # the cases of another bench target that speaks the
#                                            # same --list / --callgrind protocol (benches/sparse.rs)
#
# Each case runs twice, with 0 and with COUNT evaluations (COUNT from `report --list`); the
# difference divided by COUNT is the exact count per evaluation: setup (building the data and
# every case, and one evaluation that does any one-time work) is the same in both runs and cancels.
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/bench_bin.sh

filter="${1:-}"
out="${OUT:-$(mktemp -d)}"
mkdir -p "$out"

bench="${BENCH:-report}"
bin="${BIN:-}"
[ -n "$bin" ] || bin=$(bench_executable "$bench" bench --bench "$bench" --no-run)
[ -x "$bin" ] || { echo "could not build the $bench bench" >&2; exit 1; }

# Instructions (Ir) collected by one run of the report binary in --callgrind mode.
instructions() { # workload variant count
    valgrind --tool=callgrind --callgrind-out-file="$out/$1.$2.$3.out" \
        "$bin" --callgrind "$1" "$2" "$3" 2>&1 >/dev/null |
        sed -n 's/^==[0-9]*== Collected : \([0-9]*\)$/\1/p'
}

# Least squares (benches/lsq.rs): instructions per whole solve, by the same two-run difference.
if [[ "lsq" == *"$filter"* || "$filter" == "lsq" ]]; then
    lsq_bin=$(bench_executable lsq bench --bench lsq --no-run)
    [ -x "$lsq_bin" ] || { echo "could not build the lsq bench" >&2; exit 1; }
    echo "| least-squares solve | instructions / solve |"
    echo "|---|---:|"
    while read -r case count; do
        lsq_ir() {
            valgrind --tool=callgrind --callgrind-out-file="$out/lsq.$case.$1.out" \
                "$lsq_bin" --callgrind "$case" "$1" 2>&1 >/dev/null |
                sed -n 's/^==[0-9]*== Collected : \([0-9]*\)$/\1/p'
        }
        base=$(lsq_ir 0)
        full=$(lsq_ir "$count")
        per=$(( (full - base + count / 2) / count ))
        printf '| %s | %s |\n' "$case" "$(python3 -c "print(f'{$per:,}')")"
    done < <("$lsq_bin" --list)
    [ "$filter" = lsq ] && exit 0
    echo
fi

rows=()
declare -A hand
while read -r workload variant count; do
    [[ "$workload" == *"$filter"* ]] || continue
    [[ "$variant" == hand || "$variant" =~ ${VARIANTS:-.} ]] || continue
    base=$(instructions "$workload" "$variant" 0)
    full=$(instructions "$workload" "$variant" "$count")
    per=$(( (full - base + count / 2) / count ))
    [ "$variant" = hand ] && hand[$workload]=$per
    ratio=$(python3 -c "print(f'{$per / ${hand[$workload]:-$per}:.2f}')")
    rows+=("$workload|$variant|$per|$ratio")
    echo "$workload $variant: $per instructions per evaluation (x$ratio)" >&2
done < <("$bin" --list)

python3 - "${rows[@]}" <<'EOF'
import sys
rows = [r.split("|") for r in sys.argv[1:]]
rows = [[w, v, f"{int(n):,}", r] for w, v, n, r in rows]
head = ["workload", "variant", "instructions / eval", "× hand"]
right = [False, False, True, True]
width = [max(len(x) for x in col) for col in zip(head, *rows)]
def line(cells):
    print("| " + " | ".join(c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, width, right)) + " |")
line(head)
print("| " + " | ".join("-" * (w - 1) + (":" if r else "-") for w, r in zip(width, right)) + " |")
for r in rows:
    line(r)
EOF
echo "callgrind output files: $out" >&2
