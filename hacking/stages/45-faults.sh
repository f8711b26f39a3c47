#!/usr/bin/env bash
# Stage: the fault matrix (docs/fault-matrix.md). Every fault kind the simulator
# can inject x every call kind, each row one run of isales_ob_result through
# ansible-playbook against simulators over HTTPS (tests/resilience/fault_matrix.py
# starts and stops them itself). The table is regenerated into
# build/fault-matrix.md; the stage fails when any row's observed outcome differs
# from the expected one, or when the committed docs/fault-matrix.md is stale.
set -euo pipefail
# shellcheck source=hacking/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

ensure_main_venv
sync_collection

export ANSIBLE_COLLECTIONS_PATH="$BUILD_DIR"
rc=0
"$PY" "$COLL_DIR/tests/resilience/fault_matrix.py" \
    --out "$BUILD_DIR/fault-matrix.md" --docs "$REPO_ROOT/docs/fault-matrix.md" || rc=$?
if ((rc == 1)); then
    echo "regenerate the committed table with: cp build/fault-matrix.md docs/fault-matrix.md (after fixing the failing rows)"
fi
exit "$rc"
