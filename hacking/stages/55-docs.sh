#!/usr/bin/env bash
# Stage: the docs site. `antsibull-docs lint-collection-docs --plugin-docs`
# checks the modules' docs and the guides in docs/docsite (labels, links,
# RST), then hacking/docs.sh builds the site offline with warnings as errors.
set -euo pipefail
# shellcheck source=hacking/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

DOCS_VENV="$BUILD_DIR/venvs/docs"
ensure_venv "$DOCS_VENV" "$REPO_ROOT/hacking/requirements/docs.txt"
sync_collection

(
    export PATH="$DOCS_VENV/bin:$PATH"
    export ANSIBLE_COLLECTIONS_PATH="$BUILD_DIR"
    cd "$COLL_DIR"
    say "antsibull-docs lint-collection-docs --plugin-docs ."
    start=$SECONDS
    antsibull-docs lint-collection-docs --plugin-docs .
    say "lint-collection-docs passed in $((SECONDS - start))s"
)

start=$SECONDS
bash "$REPO_ROOT/hacking/docs.sh" >"$BUILD_DIR/docsite.log" 2>&1 || {
    tail -n 40 "$BUILD_DIR/docsite.log"
    die "the docs site did not build (full log: $BUILD_DIR/docsite.log)"
}
say "docs site built in $((SECONDS - start))s"
html="$BUILD_DIR/docsite/build/html"
# Every guide and every module has its page.
for page in docsite/getting_started docsite/authentication docsite/external_results docsite/awx; do
    [[ -f "$html/$page.html" ]] || die "the docs site has no $page.html"
done
for module in "$COLL_DIR"/plugins/modules/[!_]*.py; do
    name="$(basename "$module" .py)"
    [[ -f "$html/${name}_module.html" ]] || die "the docs site has no page for the module $name"
done
# The getting-started page tells how to run the demo.
text="$(sed -e 's/<[^>]*>//g' "$html/docsite/getting_started.html")"
grep -qF 'bash hacking/demo.sh' <<<"$text" ||
    die "getting_started does not show the demo command"
echo "docs site OK: $html/index.html ($(find "$html" -name '*.html' | wc -l) pages)"
