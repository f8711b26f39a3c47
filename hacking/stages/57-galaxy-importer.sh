#!/usr/bin/env bash
# Stage: build the collection artifact the way a release does
# (ansible-galaxy collection build) and run Galaxy's importer on it, locally
# and without containers (settings: hacking/galaxy-importer.cfg). The stage
# fails on any error or warning the importer reports, and when the artifact
# holds files that must never ship (build output, venvs, test output, caches).
set -euo pipefail
# shellcheck source=hacking/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

GI_VENV="$BUILD_DIR/venvs/galaxy-importer"
ensure_main_venv
ensure_venv "$GI_VENV" "$REPO_ROOT/hacking/requirements/galaxy-importer.txt"
sync_collection

dist="$BUILD_DIR/galaxy-importer"
rm -rf "$dist"
mkdir -p "$dist/tmp"
# Built from the checkout itself (not the synced copy), exactly as a
# maintainer would: build_ignore in galaxy.yml has to keep junk out.
(cd "$REPO_ROOT" && ansible-galaxy collection build --output-path "$dist" --force)
tarball="$(find "$dist" -maxdepth 1 -name 'huawei-isales-*.tar.gz' -print -quit)"
[[ -n "$tarball" ]] || die "ansible-galaxy built no huawei-isales-*.tar.gz"

say "checking what ${tarball##*/} contains"
# Anything under these is generated or local, never part of a release.
bad="$(tar -tzf "$tarball" | grep -E '(^|/)(build|\.venv|venv|tests/output|\.pytest_cache|\.hypothesis|\.ansible|__pycache__|context)(/|$)|\.pyc$|\.plugin-cache\.yaml$|(^|/)tests/integration/(inventory|integration_config\.yml)$|^docs/docsite/build/' || true)"
[[ -z "$bad" ]] || die "the artifact holds generated files (fix build_ignore in galaxy.yml):
$bad"
for must in MANIFEST.json FILES.json meta/runtime.yml meta/execution-environment.yml \
    requirements.txt bindep.txt changelogs/changelog.yaml CHANGELOG.rst README.md COPYING; do
    tar -tzf "$tarball" "$must" >/dev/null 2>&1 || die "the artifact lacks $must"
done

say "galaxy-importer ${tarball##*/}"
out="$dist/importer.log"
rc=0
(
    cd "$dist/tmp"
    export GALAXY_IMPORTER_CONFIG="$REPO_ROOT/hacking/galaxy-importer.cfg"
    export GALAXY_IMPORTER_TMP_ROOT_DIR="$dist/tmp"
    export PATH="$GI_VENV/bin:$PATH"
    "$GI_VENV/bin/python" -m galaxy_importer.main "$tarball"
) >"$out" 2>&1 || rc=$?
cat "$out"
((rc == 0)) || die "galaxy-importer failed (exit $rc)"
grep -q 'Importer processing completed successfully' "$out" ||
    die "galaxy-importer did not report success"
if grep -E -i '(^|[^a-z])(warning|error|fatal|traceback)' "$out" >/dev/null; then
    echo "--- what galaxy-importer complained about ---"
    grep -E -i '(^|[^a-z])(warning|error|fatal|traceback)' "$out"
    die "galaxy-importer reported warnings or errors: Galaxy must accept the artifact cleanly"
fi
echo "galaxy-importer accepted ${tarball##*/} with no warnings"
