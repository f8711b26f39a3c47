#!/usr/bin/env bash
# Stage: TLS. A simulator with --self-signed (a certificate no trusted CA signed)
# fails with validate_certs at its default, pointing at ca_path; the right
# ca_path works; REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE in the environment override
# neither ca_path nor validate_certs.
# tests/resilience/test_tls.py starts and stops its own simulators.
set -euo pipefail
# shellcheck source=hacking/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

ensure_main_venv
sync_collection

export ANSIBLE_COLLECTIONS_PATH="$BUILD_DIR"
cd "$COLL_DIR"
"$PY" -m pytest tests/resilience/test_tls.py -q -p no:cacheprovider
