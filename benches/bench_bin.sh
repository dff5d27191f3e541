# Sourced by the scripts in benches/: `bench_executable NAME CARGO_ARGS...` runs
# `cargo CARGO_ARGS... --message-format=json` and prints the path of the executable cargo built
# for the target NAME (empty if the build failed).
bench_executable() {
    local name="$1"
    shift
    cargo "$@" --message-format=json 2>/dev/null |
        python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == sys.argv[1] and m.get("executable"):
        print(m["executable"])' "$name"
}
