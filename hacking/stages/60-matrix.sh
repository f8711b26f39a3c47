#!/usr/bin/env bash
# Stage: the support matrix. meta/runtime.yml declares requires_ansible
# ">=2.16.0"; this runs the unit and integration tests with every ansible-core
# release line from that minimum to the newest one that installs on this
# machine's Python, each line in its own venv ($BUILD_DIR/venvs/core-2.XX,
# reused while its requirements do not change). The line of the main venv is
# skipped: the units and integration stages have just run with it.
#
# Which lines install is asked of the package index once (pip index versions
# only lists releases whose Requires-Python this Python meets); a line that
# does not install here is reported, not failed. Each line's tests run through
# that line's own ansible-test, with the venv's Python as the interpreter (no
# venvs of ansible-test's own, so nothing to download).
#
# The lines run side by side, each with its own copy of the collection
# ($BUILD_DIR/matrix/core-2.XX/ansible_collections/huawei/isales) and its own
# simulator, since the integration targets reset and read the simulator they
# talk to. Logs: $BUILD_DIR/matrix/core-2.XX.log.
#
#   ISALES_MATRIX="2.16 2.18"   only these lines
#   ISALES_MATRIX_JOBS=1        one line at a time (default: all at once)
#   ISALES_MATRIX_STEPS=units   only the unit tests (default: "units integration")
set -euo pipefail
# shellcheck source=hacking/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

MATRIX_DIR="$BUILD_DIR/matrix"

# core_line VERSION -- "2.16" for "2.16.3".
core_line() {
    local major minor _rest
    IFS=. read -r major minor _rest <<<"$1"
    printf '%s.%s' "$major" "$minor"
}

core_version() { # core_version PYTHON -- the ansible-core version it imports
    "$1" -c 'from ansible.release import __version__; print(__version__)'
}

# min_line -- the lowest line requires_ansible allows, e.g. "2.16".
min_line() {
    "$PY" - "$REPO_ROOT/meta/runtime.yml" <<'EOF'
import re, sys, yaml
with open(sys.argv[1]) as f:
    spec = str(yaml.safe_load(f)["requires_ansible"])
m = re.search(r">=\s*(\d+)\.(\d+)", spec)
if not m:
    sys.exit("meta/runtime.yml: cannot read a minimum from requires_ansible %r" % spec)
print("%s.%s" % m.groups())
EOF
}

# installable_lines -- the ansible-core lines with a release this Python can
# install, oldest first, one per line.
installable_lines() {
    local out
    out="$("$PY" -m pip index versions ansible-core --disable-pip-version-check 2>/dev/null)" ||
        die "could not ask the package index which ansible-core releases exist"
    sed -n 's/^Available versions: //p' <<<"$out" | tr ',' '\n' | tr -d ' ' |
        sed -n 's/^\([0-9][0-9]*\.[0-9][0-9]*\)\.[0-9][0-9]*$/\1/p' | sort -u -V
}

# line_venv LINE -- make (or reuse) the venv of LINE.
line_venv() {
    local line=$1 major minor
    IFS=. read -r major minor <<<"$line"
    printf 'ansible-core>=%s.%s,<%s.%s\n' "$major" "$minor" "$major" "$((minor + 1))" \
        >"$MATRIX_DIR/core-$line.requirements.txt"
    ensure_venv "$BUILD_DIR/venvs/core-$line" "$MATRIX_DIR/core-$line.requirements.txt" \
        "$REPO_ROOT/hacking/requirements/matrix.txt" \
        "$REPO_ROOT/requirements.txt" \
        "$REPO_ROOT/tests/unit/requirements.txt" \
        "$REPO_ROOT/tests/integration/requirements.txt"
}

# line_copy LINE -- a private copy of the synced collection for LINE (its own
# tests/output, inventory and integration_config.yml); prints its path.
line_copy() {
    local root="$MATRIX_DIR/core-$1" dest
    dest="$root/ansible_collections/huawei/isales"
    rm -rf "$root"
    mkdir -p "$dest"
    (cd "$COLL_DIR" && tar --exclude=./tests/output -cf - .) | (cd "$dest" && tar -xf -)
    printf '%s' "$dest"
}

# write_integration_config DIR -- the simulator's coordinates for the targets,
# exactly as hacking/stages/40-integration.sh writes them.
write_integration_config() {
    local config="$1/tests/integration/integration_config.yml"
    (umask 077 && "$PY" - "$config" <<'PYEOF'
import json, os, sys
keys = ("url", "access_key", "secret_key", "ca_path", "sim_admin")
config = {"isales_" + k: os.environ["ISALES_" + k.upper()] for k in keys}
with open(sys.argv[1], "w") as f:
    json.dump(config, f, indent=2)
    f.write("\n")
PYEOF
    )
}

# run_line LINE -- venv, copy, simulator, units, integration; one line's job.
# Writes "VERSION RESULT SECONDS" to $MATRIX_DIR/core-LINE.result.
run_line() {
    local line=$1 venv="$BUILD_DIR/venvs/core-$1" python pyver version="?" copy rc=0 step t0=$SECONDS
    local result="$MATRIX_DIR/core-$line.result"
    ISALES_CLEANUPS=() # this job's own, not the parent's
    set_result() { echo "$version $1 $((SECONDS - t0))" >"$result"; }
    set_result "FAIL(setup)"
    line_venv "$line"
    python="$venv/bin/python"
    pyver="$(python_version "$python")"
    version="$(core_version "$python")"
    set_result "FAIL(setup)"
    copy="$(line_copy "$line")"
    if [[ " ${ISALES_MATRIX_STEPS:-integration} " == *" integration "* ]]; then
        start_simulator "$MATRIX_DIR/core-$line.simulator"
        write_integration_config "$copy"
    fi

    # ansible-test straight from the line's venv: no lock needed, these runs
    # make no venvs under ~/.ansible/test (see ansible_test in lib.sh).
    for step in ${ISALES_MATRIX_STEPS:-units integration}; do
        say "ansible-core $version (line $line), Python $pyver: $step"
        if ! (cd "$copy" && PATH="$venv/bin:$PATH" "$venv/bin/ansible-test" "$step" --color -v \
            --python-interpreter "$python" --python "$pyver"); then
            rc=1
            if [[ -n "${ISALES_SIM_LOG:-}" ]]; then
                echo "--- last lines of the simulator log ($ISALES_SIM_LOG) ---"
                tail -n 20 "$ISALES_SIM_LOG" || true
            fi
            set_result "FAIL($step)"
            break
        fi
    done
    ((rc != 0)) || set_result PASS
    return "$rc"
}

main() {
    local min main_line newest line major minor newest_minor jobs running=0
    local -a lines=() available=() tested=()
    local -A pids=()

    ensure_main_venv
    sync_collection
    prepare_ansible_test
    mkdir -p "$MATRIX_DIR"

    min="$(min_line)"
    main_line="$(core_line "$(core_version "$PY")")"
    mapfile -t available < <(installable_lines)
    ((${#available[@]} > 0)) || die "the package index lists no ansible-core release for Python $PY_VERSION"
    newest="${available[-1]}"

    # Every line from the minimum up to the newest that installs here.
    IFS=. read -r major minor <<<"$min"
    IFS=. read -r _ newest_minor <<<"$newest"
    for ((; minor <= newest_minor; minor++)); do
        lines+=("$major.$minor")
    done
    [[ -z "${ISALES_MATRIX:-}" ]] || read -r -a lines <<<"$ISALES_MATRIX"
    jobs="${ISALES_MATRIX_JOBS:-${#lines[@]}}"
    say "requires_ansible >= $min; newest ansible-core line for Python $PY_VERSION: $newest; main venv: $main_line"

    for line in "${lines[@]}"; do
        [[ "$line" != "$main_line" ]] || continue
        printf '%s\n' "${available[@]}" | grep -qxF "$line" || continue
        while ((running >= jobs)); do
            wait -n || true
            running=$((running - 1))
        done
        say "line $line: started (log: ${MATRIX_DIR#"$REPO_ROOT"/}/core-$line.log)"
        run_line "$line" >"$MATRIX_DIR/core-$line.log" 2>&1 &
        pids[$line]=$!
        tested+=("$line")
        running=$((running + 1))
    done

    local rc=0 failed=0 version result seconds
    for line in "${tested[@]}"; do
        wait "${pids[$line]}" || true
    done

    printf '\nsupport matrix on Python %s (ansible-test units + integration):\n' "$PY_VERSION"
    printf '%-6s %-9s %-20s %s\n' line version result notes
    for line in "${lines[@]}"; do
        if [[ "$line" == "$main_line" ]]; then
            printf '%-6s %-9s %-20s %s\n' "$line" "$(core_version "$PY")" "(main venv)" \
                "run by the units and integration stages"
        elif [[ -z "${pids[$line]:-}" ]]; then
            printf '%-6s %-9s %-20s %s\n' "$line" "-" "SKIP" "no release installs on Python $PY_VERSION"
            warn "ansible-core $line does not install on Python $PY_VERSION: not tested here"
        else
            read -r version result seconds <"$MATRIX_DIR/core-$line.result" || { version="?"; result="FAIL"; seconds="?"; }
            printf '%-6s %-9s %-20s %ss\n' "$line" "$version" "$result" "$seconds"
            if [[ "$result" != PASS ]]; then
                failed=$((failed + 1))
                rc=1
            fi
        fi
    done
    if ((rc != 0)); then
        for line in "${tested[@]}"; do
            read -r _ result <"$MATRIX_DIR/core-$line.result" || result=FAIL
            [[ "$result" == PASS ]] && continue
            printf '\n--- %s: last lines of %s ---\n' "$line" "$MATRIX_DIR/core-$line.log"
            tail -n 60 "$MATRIX_DIR/core-$line.log"
        done
        die "$failed ansible-core line(s) failed"
    fi
}

main "$@"
