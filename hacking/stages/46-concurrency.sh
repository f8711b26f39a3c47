#!/usr/bin/env bash
# Stage: one playbook with --forks 10 manages a result on each of 20 VDNs (20 local hosts)
# against a simulator, then runs again: every result exists exactly once and the
# second run changes nothing and sends no write (the simulator's request log).
# tests/resilience/test_concurrency.py starts and stops its own simulators.
set -euo pipefail
# shellcheck source=hacking/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

ensure_main_venv
sync_collection

export ANSIBLE_COLLECTIONS_PATH="$BUILD_DIR"
cd "$COLL_DIR"
"$PY" -m pytest tests/resilience/test_concurrency.py -q -p no:cacheprovider
