#!/usr/bin/env bash
# hacking/demo.sh -- run the main job: bash hacking/demo.sh
#
# Bootstraps the venv, starts the HTTPS simulator of a CC-iSales server in a
# temporary state dir, builds and installs the collection the way a user
# would (ansible-galaxy collection build + install), runs
# docs/examples/demo.yml against the simulator, and then checks on the wire
# (the simulator's request log) that no request wrote something that was
# already so -- i.e. every re-run in the playbook made zero writes. The
# simulator is stopped at the end whatever happens.
#
# Extra arguments go to ansible-playbook (e.g. -v, --diff).
set -euo pipefail

# shellcheck source=hacking/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PLAYBOOK="$REPO_ROOT/docs/examples/demo.yml"

# install_collection -- build the collection from the synced copy (exactly
# the project's files) and install the tarball under $BUILD_DIR/collections.
install_collection() {
    local dist="$BUILD_DIR/dist" tarball
    rm -rf "$dist"
    mkdir -p "$dist"
    ansible-galaxy collection build "$COLL_DIR" --output-path "$dist" --force >/dev/null
    tarball="$(find "$dist" -name 'huawei-isales-*.tar.gz' -print -quit)"
    [[ -n "$tarball" ]] || die "ansible-galaxy built no huawei-isales-*.tar.gz"
    ansible-galaxy collection install "$tarball" -p "$BUILD_DIR/collections" --force >/dev/null
    say "installed ${tarball##*/} into $BUILD_DIR/collections"
}

main() {
    [[ -f "$PLAYBOOK" ]] || die "${PLAYBOOK#"$REPO_ROOT"/} does not exist"
    ensure_main_venv
    sync_collection

    export ANSIBLE_COLLECTIONS_PATH="$BUILD_DIR/collections"
    install_collection

    local state_dir
    state_dir="$(mktemp -d "${TMPDIR:-/tmp}/isales-demo.XXXXXX")"
    add_cleanup "rm -rf '$state_dir'"
    start_simulator "$state_dir"

    # The playbook takes its connection from ISALES_URL, ISALES_ACCESS_KEY,
    # ISALES_SECRET_KEY and ISALES_CA_PATH, which start_simulator exported.
    # The interpreter is pinned: discovery could pick a broken pyenv shim.
    say "ansible-playbook -i localhost, ${PLAYBOOK#"$REPO_ROOT"/}"
    if ! (cd "$REPO_ROOT" && ansible-playbook -i localhost, \
        -e ansible_python_interpreter="$PY" "$@" "$PLAYBOOK"); then
        # The state dir (and the log in it) goes away on exit: show it now.
        echo "--- last lines of the simulator log ---" >&2
        tail -n 20 "$ISALES_SIM_LOG" >&2 || true
        die "the demo playbook failed"
    fi

    say "checking the simulator's request log for writes that changed nothing"
    "$PY" "$REPO_ROOT/hacking/sim_writes.py"
    say "demo OK"
}

main "$@"
