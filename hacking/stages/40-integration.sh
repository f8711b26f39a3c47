#!/usr/bin/env bash
# Stage: ansible-test integration against the HTTPS simulator. The simulator
# is started here (random secret key, private CA) and stopped on exit whatever
# happens; the targets get its coordinates through integration_config.yml,
# written into the synced copy only (git-ignored, removed by the next sync).
set -euo pipefail
# shellcheck source=hacking/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

ensure_main_venv
sync_collection
prepare_ansible_test

if [[ -z "$(find "$COLL_DIR/tests/integration/targets" -mindepth 1 -maxdepth 1 -type d -print -quit 2>/dev/null || true)" ]]; then
    echo "no integration targets under tests/integration/targets: nothing to run"
    exit 0
fi

state_dir="$BUILD_DIR/simulator-integration"
rm -rf "$state_dir"
start_simulator "$state_dir"

# JSON is YAML; json.dumps quotes every value safely.
config="$COLL_DIR/tests/integration/integration_config.yml"
(umask 077 && "$PY" - "$config" <<'PYEOF'
import json, os, sys
keys = ("url", "access_key", "secret_key", "ca_path", "sim_admin")
config = {"isales_" + k: os.environ["ISALES_" + k.upper()] for k in keys}
with open(sys.argv[1], "w") as f:
    json.dump(config, f, indent=2)
    f.write("\n")
PYEOF
)

cd "$COLL_DIR"
rc=0
ansible_test integration --color -v --python-interpreter "$PY" --python "$PY_VERSION" || rc=$?
if ((rc != 0)); then
    echo "--- last lines of the simulator log ($ISALES_SIM_LOG) ---"
    tail -n 20 "$ISALES_SIM_LOG" || true
fi
exit "$rc"
