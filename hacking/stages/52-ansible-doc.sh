#!/usr/bin/env bash
# Stage: `ansible-doc huawei.isales.<module>` renders every module, with
# nothing at all on stderr (no warning, no deprecation), as users see it; the
# JSON form (what antsibull-docs and Galaxy read) too. ansible-doc -l must
# list exactly the modules in plugins/modules.
set -euo pipefail
# shellcheck source=hacking/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

ensure_main_venv
sync_collection
export ANSIBLE_COLLECTIONS_PATH="$BUILD_DIR"

err="$(mktemp)"
out="$(mktemp)"
add_cleanup "rm -f '$err' '$out'"

listed="$(ansible-doc -t module -l huawei.isales 2>"$err" | awk '{print $1}' | sort)"
[[ ! -s "$err" ]] || { cat "$err"; die "ansible-doc -l wrote to stderr"; }
mapfile -t modules < <(cd "$COLL_DIR/plugins/modules" && for f in [!_]*.py; do echo "huawei.isales.${f%.py}"; done | sort)
((${#modules[@]} > 0)) || die "no modules in plugins/modules"
[[ "$listed" == "$(printf '%s\n' "${modules[@]}")" ]] || die "ansible-doc -l lists:
$listed
but plugins/modules has:
$(printf '%s\n' "${modules[@]}")"

# One ansible-doc run for all modules (each run costs seconds); only when it
# is unhappy is each module run alone, to name the culprit.
check() { # check ARGS... -- ansible-doc ARGS with exit 0 and an empty stderr
    local rc=0
    ansible-doc -t module "$@" >"$out" 2>"$err" || rc=$?
    ((rc == 0)) && [[ ! -s "$err" ]]
}
failed=0
for mode in text json; do
    args=()
    [[ "$mode" == json ]] && args=(--json)
    if check "${args[@]}" "${modules[@]}" && { [[ "$mode" == text ]] || "$PY" -c '
import json, sys
data = json.load(open(sys.argv[1]))
missing = [m for m in sys.argv[2:] if not data.get(m, {}).get("doc")]
sys.exit("no doc for %s" % missing if missing else 0)' "$out" "${modules[@]}"; }; then
        printf 'ok   ansible-doc %-6s %s\n' "$mode" "${modules[*]}"
        continue
    fi
    for module in "${modules[@]}"; do
        if check "${args[@]}" "$module"; then
            printf 'ok   ansible-doc %-6s %s\n' "$mode" "$module"
        else
            printf 'FAIL ansible-doc %-6s %s:\n' "$mode" "$module"
            sed 's/^/    /' "$err"
            failed=$((failed + 1))
        fi
    done
    ((failed > 0)) || { echo "FAIL ansible-doc $mode on all modules at once:"; sed 's/^/    /' "$err"; failed=1; }
done
((failed == 0)) || die "$failed ansible-doc problem(s)"
