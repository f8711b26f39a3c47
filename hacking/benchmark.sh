#!/usr/bin/env bash
# hacking/benchmark.sh -- the huawei.isales benchmark: bash hacking/benchmark.sh [--smallest]
#
# Starts the HTTPS simulator, then drives real ansible-playbook runs against it
# (tests/benchmarks/run_benchmark.py) with the simulator's injected latency at
# 0 ms and 20 ms, for 10, 100, 1000 and 5000 results on one VDN, and writes
#
#   docs/benchmarks.md    the tables and whether the targets are met
#   docs/benchmarks.png   wall time and request count against the number of results
#   docs/benchmarks.json  every figure measured
#
# It asserts the request counts (counted on the simulator's request log) and
# exits 1 when one is wrong. A full run takes 20-40 minutes on 2 cores.
#
#   --smallest    10 results only and few iterations (the CI smoke run, about
#                 a minute); writes into build/benchmark-smoke/ instead of docs/
#   --out-dir D   write into D instead
set -euo pipefail

# shellcheck source=hacking/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
}

main() {
    local smallest="" out_dir="" arg
    local -a extra=()
    while (($#)); do
        arg=$1
        shift
        case "$arg" in
            --smallest) smallest=1 ;;
            --out-dir) out_dir=${1:?--out-dir needs a directory}; shift ;;
            -h | --help) usage; return 0 ;;
            *) extra+=("$arg") ;;
        esac
    done
    if [[ -z "$out_dir" ]]; then
        if [[ -n "$smallest" ]]; then out_dir="$BUILD_DIR/benchmark-smoke"; else out_dir="$REPO_ROOT/docs"; fi
    fi
    mkdir -p "$out_dir"
    out_dir="$(cd "$out_dir" && pwd -P)"

    ensure_main_venv
    sync_collection
    # The synced copy is a collection tree ($BUILD_DIR/ansible_collections/huawei/isales).
    export ANSIBLE_COLLECTIONS_PATH="$BUILD_DIR"
    local plot_venv="$BUILD_DIR/benchmark-venv"
    ensure_venv "$plot_venv" "$REPO_ROOT/tests/benchmarks/requirements.txt"

    local state_dir="$BUILD_DIR/benchmark-simulator"
    rm -rf "$state_dir"
    start_simulator "$state_dir" --lifetime 7200

    local log="$BUILD_DIR/benchmark.log"
    local -a args=(--out-dir "$out_dir" --log "$log")
    [[ -n "$smallest" ]] && args+=(--smallest)
    say "running the benchmark (ansible-playbook output: $log)"
    (cd "$REPO_ROOT" && "$PY" tests/benchmarks/run_benchmark.py "${args[@]}" ${extra[@]+"${extra[@]}"})
    "$plot_venv/bin/python" "$REPO_ROOT/tests/benchmarks/plot_benchmark.py" \
        "$out_dir/benchmarks.json" "$out_dir/benchmarks.png"
    say "wrote $out_dir/benchmarks.md and $out_dir/benchmarks.png"
}

main "$@"
