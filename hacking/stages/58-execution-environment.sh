#!/usr/bin/env bash
# Stage: the collection installs into an execution environment.
#
# 1. bindep.txt is valid bindep, and `ansible-builder introspect` on the
#    installed artifact finds the collection's Python (requirements.txt) and
#    system (bindep.txt) dependencies through meta/execution-environment.yml.
# 2. `ansible-builder create` turns docs/awx/execution-environment.yml (the
#    definition users build, collection from Galaxy) into a build context.
# 3. The same definition, pointed at the artifact built here instead of
#    Galaxy, gives a context that copies and installs that artifact.
# `create` and `introspect` need no container engine; `build` would.
set -euo pipefail
# shellcheck source=hacking/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

BUILDER_VENV="$BUILD_DIR/venvs/builder"
ensure_main_venv
ensure_venv "$BUILDER_VENV" "$REPO_ROOT/hacking/requirements/builder.txt"
sync_collection
builder="$BUILDER_VENV/bin/ansible-builder"

work="$BUILD_DIR/ee"
rm -rf "$work"
mkdir -p "$work/dist" "$work/collections"

say "bindep.txt"
"$BUILDER_VENV/bin/bindep" --file "$COLL_DIR/bindep.txt" --list_all=newline >"$work/bindep.out" ||
    die "bindep cannot read bindep.txt"
sed 's/^/    /' "$work/bindep.out"

ansible-galaxy collection build "$COLL_DIR" --output-path "$work/dist" --force >/dev/null
tarball="$(find "$work/dist" -name 'huawei-isales-*.tar.gz' -print -quit)"
[[ -n "$tarball" ]] || die "ansible-galaxy built no huawei-isales-*.tar.gz"
ansible-galaxy collection install "$tarball" -p "$work/collections" --force >/dev/null

say "ansible-builder introspect (the collection's meta/execution-environment.yml)"
"$builder" introspect --sanitize "$work/collections" \
    --write-pip "$work/introspect-requirements.txt" --write-bindep "$work/introspect-bindep.txt" |
    tee "$work/introspect.out"
grep -Eq '^requests([^a-z_-]|$)' "$work/introspect-requirements.txt" ||
    die "introspect did not find requests (requirements.txt through meta/execution-environment.yml)"
grep -q 'huawei.isales' "$work/introspect-requirements.txt" ||
    die "introspect did not attribute the Python requirements to huawei.isales"
grep -Eq '^python3 ' "$work/introspect-bindep.txt" ||
    die "introspect did not find the bindep.txt entries"

# check_context DIR WHAT -- the build context has a Containerfile that
# installs the Galaxy requirements and runs the dependency introspection.
check_context() {
    local cf="$1/Containerfile"
    [[ -f "$cf" ]] || die "ansible-builder create wrote no Containerfile for $2"
    grep -q 'ansible-galaxy collection install .*-r requirements.yml' "$cf" ||
        die "$2: the Containerfile does not install the collections of requirements.yml"
    grep -q 'introspect' "$cf" ||
        die "$2: the Containerfile does not introspect the collections' dependencies"
    grep -q 'ansible-core' "$cf" || die "$2: the Containerfile does not install ansible-core"
    echo "    $cf: $(wc -l <"$cf") lines"
}

say "ansible-builder create -f docs/awx/execution-environment.yml"
"$builder" create --file "$COLL_DIR/docs/awx/execution-environment.yml" \
    --context "$work/context-galaxy" --output-filename Containerfile
check_context "$work/context-galaxy" "docs/awx/execution-environment.yml"
grep -q 'huawei.isales' "$work/context-galaxy/_build/requirements.yml" ||
    die "the build context's requirements.yml does not name huawei.isales"

say "ansible-builder create with the artifact built here"
"$PY" - "$COLL_DIR/docs/awx/execution-environment.yml" "$work/local" "$tarball" <<'PYEOF'
import os, shutil, sys, yaml
definition, out, tarball = sys.argv[1:4]
os.makedirs(out, exist_ok=True)
with open(definition) as f:
    ee = yaml.safe_load(f)
name = os.path.basename(tarball)
shutil.copy(tarball, os.path.join(out, name))
# The context's _build/ is /build in the image, where the requirements are installed.
ee["dependencies"]["galaxy"] = "requirements.yml"
ee["additional_build_files"] = [{"src": name, "dest": "collections"}]
with open(os.path.join(out, "requirements.yml"), "w") as f:
    yaml.safe_dump({"collections": [{"name": "collections/" + name, "type": "file"}]}, f)
with open(os.path.join(out, "execution-environment.yml"), "w") as f:
    yaml.safe_dump(ee, f, sort_keys=False)
PYEOF
"$builder" create --file "$work/local/execution-environment.yml" \
    --context "$work/context-local" --output-filename Containerfile
check_context "$work/context-local" "the local definition"
[[ -f "$work/context-local/_build/collections/${tarball##*/}" ]] ||
    die "the build context does not carry ${tarball##*/}"
echo "execution environment OK: build context in $work/context-galaxy (and context-local)"
