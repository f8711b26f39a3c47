#!/usr/bin/env bash
# Stage: the simulator's own tests (pytest tests/simulator). They may import the
# collection's module_utils (e.g. the signer) as
# ansible_collections.huawei.isales..., which resolves through the synced copy
# under $BUILD_DIR.
set -euo pipefail
# shellcheck source=hacking/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

ensure_main_venv
sync_collection

cd "$REPO_ROOT"
if [[ -z "$(find tests/simulator -type f -name 'test_*.py' -print -quit 2>/dev/null || true)" ]]; then
    echo "no test files under tests/simulator: nothing to run"
    exit 0
fi
PYTHONPATH="$BUILD_DIR${PYTHONPATH:+:$PYTHONPATH}" "$PY" -m pytest tests/simulator -q
