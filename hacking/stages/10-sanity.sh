#!/usr/bin/env bash
# Stage: ansible-test sanity on every Python version this machine really has
# (see prepare_ansible_test), with no ignore files: a sanity finding is fixed,
# not ignored.
set -euo pipefail
# shellcheck source=hacking/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

ignores=("$REPO_ROOT"/tests/sanity/ignore-*.txt)
if [[ -e "${ignores[0]}" ]]; then
    printf '  %s\n' "${ignores[@]#"$REPO_ROOT"/}" >&2
    die "sanity ignore files are not allowed in this project: fix the findings instead"
fi

ensure_main_venv
sync_collection
prepare_ansible_test

cd "$COLL_DIR"
# No --requirements: every sanity test already runs in a venv that
# ansible-test creates and fills with its pinned tools itself (cached under
# ~/.ansible/test/venv -- why the first run is slow and the next ones are not);
# --requirements would only add pip installs into our own venv.
# No --python: all the versions prepare_ansible_test found ($ISALES_PYTHONS).
ansible_test sanity --color -v
