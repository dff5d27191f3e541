#!/usr/bin/env bash
# The smallest thread stack (to 4 KiB) in which each case of benches/stack.rs completes.
#
#   benches/stack.sh                 # debug build, every case
#   benches/stack.sh hessian         # only cases whose name contains "hessian"
#   PROFILE=release benches/stack.sh # release build
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/bench_bin.sh
filter="${1:-}"
profile="${PROFILE:-dev}"
bin=$(bench_executable stack build --profile "$profile" --bench stack)
[ -x "$bin" ] || { echo "could not build the stack bench" >&2; exit 1; }
echo "| case | smallest stack (KiB), $profile |"
echo "|---|---:|"
for case in $("$bin" --list); do
    [[ "$case" == *"$filter"* ]] || continue
    lo=1024; hi=$((64 << 20))
    ("$bin" "$case" "$hi") >/dev/null 2>&1 || { echo "| $case | > $((hi >> 10)) |"; continue; }
    while [ $((hi - lo)) -gt 4096 ]; do
        mid=$(((lo + hi) / 2))
        if ("$bin" "$case" "$mid") >/dev/null 2>&1; then hi=$mid; else lo=$mid; fi
    done
    echo "| $case | $((hi >> 10)) |"
done
