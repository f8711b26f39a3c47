#!/usr/bin/env bash
# hacking/docs.sh -- build the docs site: bash hacking/docs.sh
#
# Builds the collection's HTML docs site with antsibull-docs and Sphinx, the
# way Ansible's own collection docs are built: the module reference is
# generated from the modules' DOCUMENTATION, and the guides come from
# docs/docsite/rst/ (listed in docs/docsite/extra-docs.yml). Nothing generated
# is kept in the tree: the Sphinx project is made fresh by
# `antsibull-docs sphinx-init` in build/docsite/ on every run, so it always
# matches the installed antsibull-docs.
#
# Works offline: intersphinx (which would download other sites' inventories)
# is switched off, see hacking/docsite_offline.py. Sphinx runs with -W
# (warnings are errors).
#
# Output: build/docsite/build/html/index.html
set -euo pipefail

# shellcheck source=hacking/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DOCS_VENV="$BUILD_DIR/venvs/docs"
DOCSITE="$BUILD_DIR/docsite"

main() {
    ensure_venv "$DOCS_VENV" "$REPO_ROOT/hacking/requirements/docs.txt"
    sync_collection

    # antsibull-docs and the ansible-doc it calls come from the docs venv; the
    # collection is found in $BUILD_DIR/ansible_collections.
    export PATH="$DOCS_VENV/bin:$PATH"
    export ANSIBLE_COLLECTIONS_PATH="$BUILD_DIR"

    rm -rf "$DOCSITE"
    # sphinx-init insists on a directory only its owner can write to.
    mkdir -p "$DOCSITE"
    chmod 700 "$DOCSITE"
    antsibull-docs sphinx-init --use-current --squash-hierarchy --fail-on-error \
        --dest-dir "$DOCSITE" \
        --project "huawei.isales" \
        --copyright "huawei.isales contributors" \
        --title "huawei.isales: Ansible collection for Huawei CC-iSales" \
        --html-short-title "huawei.isales" \
        huawei.isales >/dev/null
    # Offline: no intersphinx, and Ansible's own labels linked directly.
    {
        printf '\n'
        cat "$REPO_ROOT/hacking/docsite_offline.py"
    } >>"$DOCSITE/conf.py"
    say "building the docs site in ${DOCSITE#"$REPO_ROOT"/}"
    bash "$DOCSITE/build.sh"
    [[ -f "$DOCSITE/build/html/index.html" ]] || die "Sphinx wrote no index.html"
    say "docs site: $DOCSITE/build/html/index.html"
}

main "$@"
