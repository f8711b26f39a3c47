#!/usr/bin/env bash
# Stage: the secret key appears nowhere. The secret-scan play runs at -vvvv with
# ANSIBLE_DEBUG off and on, in normal, check and diff mode, through every failure
# path (wrong secret, bad input, retries exhausted, TLS failure); its whole
# output, its returned values and the simulator's request log are searched for
# the secret key (raw, URL-encoded, JSON-, HTML-escaped, repr, base64). With
# ANSIBLE_DEBUG on, ansible-core itself prints module arguments, no_log ones too,
# so those runs pass the key through ISALES_SECRET_KEY (see tests/resilience/README.md).
# tests/resilience/test_secrets.py starts and stops its own simulators.
set -euo pipefail
# shellcheck source=hacking/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

ensure_main_venv
sync_collection

export ANSIBLE_COLLECTIONS_PATH="$BUILD_DIR"
cd "$COLL_DIR"
# Six ansible-playbook runs, one core each: two at a time (pytest-xdist, from requirements-dev.txt).
"$PY" -m pytest tests/resilience/test_secrets.py -q -p no:cacheprovider -p xdist -n 2
