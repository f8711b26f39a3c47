#!/usr/bin/env bash
# hacking/test.sh -- run all tests: bash hacking/test.sh [STAGE ...]
#
# Bootstraps the main venv (see lib.sh), then runs every
# hacking/stages/[0-9][0-9]-*.sh in lexical order -- or only the STAGEs named,
# either by name ("sanity") or by file name ("10-sanity", "10-sanity.sh").
# Each stage runs in its own `bash -euo pipefail` with the exported
# environment; a failing stage does not stop the others. The run ends with a
# table of the stages and, alone on the last line, "N passed, N failed".
# The exit status is non-zero when any stage failed.
set -euo pipefail

# shellcheck source=hacking/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STAGE_DIR="$REPO_ROOT/hacking/stages"

usage() {
    echo "usage: bash hacking/test.sh [--list] [STAGE ...]"
    echo "stages:"
    list_stages | sed 's|.*/|  |'
}

list_stages() {
    local file
    for file in "$STAGE_DIR"/[0-9][0-9]-*.sh; do
        [[ -f "$file" ]] && printf '%s\n' "$file"
    done
}

# stage_name FILE -- "sanity" for .../10-sanity.sh
stage_name() {
    local base="${1##*/}"
    base="${base%.sh}"
    printf '%s' "${base#[0-9][0-9]-}"
}

# stage_matches FILE ARG -- does ARG name FILE ("sanity", "10-sanity" or
# "10-sanity.sh")?
stage_matches() {
    local base="${1##*/}"
    [[ "$2" == "$(stage_name "$1")" || "$2" == "$base" || "$2" == "${base%.sh}" ]]
}

# select_stages ARG... -- set SELECTED to the stage files the arguments name
# (all of them without arguments), in lexical order; dies on an unknown name.
select_stages() {
    local -a all
    local arg file found
    mapfile -t all < <(list_stages)
    SELECTED=()
    (($# > 0)) || { SELECTED=("${all[@]}"); return 0; }
    for arg in "$@"; do
        found=""
        for file in "${all[@]}"; do
            stage_matches "$file" "$arg" && found=1
        done
        [[ -n "$found" ]] || { usage >&2; die "no such stage: $arg"; }
    done
    for file in "${all[@]}"; do
        for arg in "$@"; do
            if stage_matches "$file" "$arg"; then
                SELECTED+=("$file")
                break
            fi
        done
    done
}

# now -- seconds since the epoch, with milliseconds.
now() { date +%s.%3N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

banner() {
    local line
    line="$(printf '%*s' 72 '' | tr ' ' '=')"
    printf '\n%s\n== %s\n%s\n' "$line" "$*" "$line"
}

# run_lane LOGDIR STAGE_FILE... -- run the stages one after the other, each
# into LOGDIR/NAME.log; print each whole log when its stage ends (one stage at
# a time on the terminal, whatever the other lane does) and record
# "EXIT_STATUS SECONDS" in LOGDIR/NAME.result.
run_lane() {
    local logs=$1 file name start rc
    shift
    for file in "$@"; do
        name="$(stage_name "$file")"
        start="$(now)"
        rc=0
        (cd "$REPO_ROOT" && bash -euo pipefail "$file" </dev/null >"$logs/$name.log" 2>&1) || rc=$?
        printf '%s %s\n' "$rc" "$(elapsed "$start" "$(now)")" >"$logs/$name.result"
        (
            flock 9
            banner "stage $name  (${file#"$REPO_ROOT"/})"
            cat "$logs/$name.log"
            printf '== stage %s: %s in %ss\n' "$name" "$( ((rc == 0)) && echo PASS || echo "FAIL($rc)")" \
                "$(elapsed "$start" "$(now)")"
        ) 9>"$logs/.terminal.lock"
    done
}

main() {
    local -a stages names results seconds
    local file start rc secs passed=0 failed=0 i

    case "${1:-}" in
        -h | --help) usage; return 0 ;;
        --list) list_stages | sed 's|.*/||'; return 0 ;;
    esac
    select_stages "$@"
    stages=("${SELECTED[@]}")
    ((${#stages[@]} > 0)) || die "no stages in $STAGE_DIR"

    # Held until this script exits; the stages inherit it (see lib.sh).
    lock_checkout

    # Bootstrap once, so the stages start warm; its failure fails the run.
    banner "bootstrap"
    start="$(now)"
    rc=0
    # In a subshell because lib.sh's helpers exit on error and a failed
    # bootstrap must still end with the summary line; what it exports comes
    # back through a file.
    local exports
    exports="$(mktemp)"
    (
        ensure_main_venv
        prepare_ansible_test
        for var in PATH PY_VERSION ISALES_PYTHONS ISALES_PREPARED_PATH; do
            printf 'export %s=%q\n' "$var" "${!var}"
        done >"$exports"
    ) || rc=$?
    # shellcheck disable=SC1090
    ((rc != 0)) || source "$exports"
    rm -f "$exports"
    printf '== bootstrap: %s in %ss\n' "$( ((rc == 0)) && echo ok || echo FAILED)" "$(elapsed "$start" "$(now)")"
    if ((rc != 0)); then
        printf '\n%-24s %-6s %8s\n' stage result seconds
        printf '%-24s %-6s %8s\n' bootstrap FAIL -
        echo "0 passed, 1 failed"
        return 1
    fi

    # Two lanes side by side: most stages are one busy Python process, so a
    # second lane uses the second core. The ansible-test stages that work in
    # the shared copy (sanity, units, integration) stay in one lane, in order;
    # the benchmark smoke run and the demo join them and the matrix, which
    # brings its own copies, goes to the other lane, so that the two lanes take
    # about as long. ISALES_JOBS=1 runs every stage one after the other.
    local jobs="${ISALES_JOBS:-2}" logs="$BUILD_DIR/stage-logs"
    rm -rf "$logs"
    mkdir -p "$logs"
    if ((jobs > 1)); then
        sync_collection
        ISALES_SYNCED=1
        export ISALES_SYNCED
    fi
    local -a lane1=() lane2=()
    for file in "${stages[@]}"; do
        case "$(stage_name "$file")" in
            sanity | units | integration | benchmark-smoke | demo) lane1+=("$file") ;;
            *) lane2+=("$file") ;;
        esac
    done
    if ((jobs > 1)); then
        run_lane "$logs" "${lane1[@]}" &
        local lane_pid=$!
        run_lane "$logs" "${lane2[@]}" || true
        wait "$lane_pid" || true
    else
        run_lane "$logs" "${stages[@]}" || true
    fi
    for file in "${stages[@]}"; do
        names+=("$(stage_name "$file")")
        if [[ -f "$logs/$(stage_name "$file").result" ]]; then
            read -r rc secs <"$logs/$(stage_name "$file").result"
        else
            rc=255 secs=-
        fi
        seconds+=("$secs")
        if ((rc == 0)); then
            results+=(PASS)
            passed=$((passed + 1))
        else
            results+=("FAIL($rc)")
            failed=$((failed + 1))
        fi
    done

    banner "summary"
    printf '%-24s %-9s %8s\n' stage result seconds
    for i in "${!names[@]}"; do
        printf '%-24s %-9s %8s\n' "${names[i]}" "${results[i]}" "${seconds[i]}"
    done
    echo "$passed passed, $failed failed"
    ((failed == 0))
}

main "$@"
