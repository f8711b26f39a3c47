#!/usr/bin/env bash
# Stage: the changelog (antsibull-changelog). Lints the fragments in
# changelogs/fragments and changelogs/changelog.yaml, checks that CHANGELOG.rst
# is exactly what antsibull-changelog generates from changelog.yaml (it is
# generated, never edited by hand), and that every module a release lists
# exists. A galaxy.yml version without a release yet is fine (the fragments
# wait for `antsibull-changelog release`); it is reported.
set -euo pipefail
# shellcheck source=hacking/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

DOCS_VENV="$BUILD_DIR/venvs/docs"
ensure_venv "$DOCS_VENV" "$REPO_ROOT/hacking/requirements/docs.txt"
export PATH="$DOCS_VENV/bin:$PATH"

cd "$REPO_ROOT"
say "antsibull-changelog lint"
antsibull-changelog lint -v
say "antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml"
antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml

# Regenerate CHANGELOG.rst in a scratch copy and compare. generate only
# reads changelog.yaml and the config (no plugins, no network).
scratch="$(mktemp -d)"
add_cleanup "rm -rf '$scratch'"
cp -r galaxy.yml changelogs CHANGELOG.rst "$scratch/"
(cd "$scratch" && antsibull-changelog generate >/dev/null)
if ! diff -u CHANGELOG.rst "$scratch/CHANGELOG.rst"; then
    die "CHANGELOG.rst is not what antsibull-changelog generates from changelogs/changelog.yaml: run 'antsibull-changelog generate' (never edit it by hand)"
fi

"$DOCS_VENV/bin/python" - <<'EOF_PY'
import os, sys, yaml
with open("galaxy.yml") as f:
    version = str(yaml.safe_load(f)["version"])
with open("changelogs/changelog.yaml") as f:
    releases = (yaml.safe_load(f) or {}).get("releases") or {}
if not releases:
    sys.exit("changelogs/changelog.yaml has no release")
modules = set(os.path.splitext(n)[0] for n in os.listdir("plugins/modules") if n.endswith(".py"))
problems = []
for rel, data in sorted(releases.items()):
    for entry in data.get("modules") or []:
        if entry["name"] not in modules:
            problems.append("release %s lists the module %s, which is not in plugins/modules" % (rel, entry["name"]))
if problems:
    sys.exit("\n".join(problems))
fragments = [n for n in os.listdir("changelogs/fragments") if n.endswith((".yml", ".yaml"))]
if version in releases:
    print("galaxy.yml version %s is released (%s); %d fragment(s) wait for the next release"
          % (version, releases[version].get("release_date"), len(fragments)))
else:
    print("galaxy.yml version %s has no release section yet; %d fragment(s) are waiting for "
          "'antsibull-changelog release'" % (version, len(fragments)))
EOF_PY
