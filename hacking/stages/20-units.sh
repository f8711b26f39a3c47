#!/usr/bin/env bash
# Stage: the unit tests under tests/unit, through ansible-test (which puts the
# collection on the import path the way Ansible does), run by the main venv's
# Python -- it already has pytest and the tests' requirements, so ansible-test
# needs no venv of its own here.
set -euo pipefail
# shellcheck source=hacking/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

ensure_main_venv
sync_collection
prepare_ansible_test

cd "$COLL_DIR"
have_tests="$(find tests/unit -type f \( -name 'test_*.py' -o -name '*_test.py' \) -print -quit 2>/dev/null || true)"
rc=0
ansible_test units --color -v --python-interpreter "$PY" --python "$PY_VERSION" || rc=$?
if ((rc != 0)) && [[ -z "$have_tests" ]]; then
    # Nothing to collect is only fine while there is nothing to test.
    echo "no unit test files under tests/unit: nothing to run (ansible-test exit $rc)"
    exit 0
fi
exit "$rc"
