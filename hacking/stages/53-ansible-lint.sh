#!/usr/bin/env bash
# Stage: ansible-lint with the "production" profile, offline (config:
# .ansible-lint), on the whole collection -- the example playbooks
# (docs/examples), the AWX playbook (docs/awx), the integration targets, and
# galaxy.yml, meta/ and changelogs/ -- as Galaxy and Automation Hub run it.
# It runs on the synced copy, so only the project's files are seen, with the
# collection itself on the collections path.
set -euo pipefail
# shellcheck source=hacking/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

LINT_VENV="$BUILD_DIR/venvs/lint"
ensure_venv "$LINT_VENV" "$REPO_ROOT/hacking/requirements/lint.txt"
sync_collection

export PATH="$LINT_VENV/bin:$PATH"
export ANSIBLE_COLLECTIONS_PATH="$BUILD_DIR"
cd "$COLL_DIR"
# The paths the brief names must be there (a rename would silently drop them).
for path in docs/examples docs/awx tests/integration/targets; do
    [[ -d "$path" ]] || die "$path does not exist: update .ansible-lint and this stage"
done
ansible-lint --version
ansible-lint --nocolor --strict
