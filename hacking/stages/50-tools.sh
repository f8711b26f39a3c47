#!/usr/bin/env bash
# Stage: the venvs of the ecosystem tools the 5x stages use, each in its own
# venv under $BUILD_DIR/venvs (their pins clash: ansible-lint, galaxy-importer,
# antsibull-docs and ansible-builder each want their own ansible-core /
# ansible-lint / Sphinx ranges), from hacking/requirements/<name>.txt.
#
# Every later stage makes its venv itself too (ensure_venv is idempotent), so
# this stage only saves time: on a fresh machine it installs the four at once
# instead of one after the other. Warm, it takes a fraction of a second.
set -euo pipefail
# shellcheck source=hacking/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

TOOLS=(docs lint galaxy-importer builder)

declare -A pids=()
for tool in "${TOOLS[@]}"; do
    ensure_venv "$BUILD_DIR/venvs/$tool" "$REPO_ROOT/hacking/requirements/$tool.txt" &
    pids[$tool]=$!
done
failed=()
for tool in "${TOOLS[@]}"; do
    wait "${pids[$tool]}" || failed+=("$tool")
done
((${#failed[@]} == 0)) || die "could not install the tool venvs: ${failed[*]}"
for tool in "${TOOLS[@]}"; do
    printf '%-16s ' "$tool"
    "$BUILD_DIR/venvs/$tool/bin/python" - <<'EOF_PY'
from importlib import metadata
names = ("ansible-core", "ansible-lint", "galaxy-importer", "antsibull-docs", "antsibull-changelog",
         "ansible-builder", "sphinx")
found = []
for name in names:
    try:
        found.append("%s %s" % (name, metadata.version(name)))
    except metadata.PackageNotFoundError:
        pass
print(", ".join(found))
EOF_PY
done
