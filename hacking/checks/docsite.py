# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Build the docs site offline and check its pages.

The site is built the way Ansible's own collection docs are: the module
reference from the modules' DOCUMENTATION, the guides from docs/docsite/rst/
(listed in docs/docsite/extra-docs.yml). The Sphinx project is made fresh by
`antsibull-docs sphinx-init` in DEST on every run, so it always matches the
installed antsibull-docs, with hacking/docsite_offline.py appended to its
conf.py (no intersphinx downloads); Sphinx runs with warnings as errors.

Then: every guide and every module has its page, and the getting-started page
shows the demo command.

usage: python hacking/checks/docsite.py COLLECTION_DIR DEST
(with the collection on ANSIBLE_COLLECTIONS_PATH; nox -s docs runs it; HTML in DEST/build/html)
"""

import os
import re
import shutil
import subprocess
import sys

import yaml

DEMO_COMMAND = "python3 hacking/run.py -s demo"


def main():
    tree, dest = (os.path.abspath(arg) for arg in sys.argv[1:3])
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest, mode=0o700)  # sphinx-init insists on a directory only its owner can write to
    subprocess.run(["antsibull-docs", "sphinx-init", "--use-current", "--squash-hierarchy", "--fail-on-error",
                    "--dest-dir", dest, "--project", "huawei.isales", "--copyright", "huawei.isales contributors",
                    "--title", "huawei.isales: Ansible collection for Huawei CC-iSales",
                    "--html-short-title", "huawei.isales", "huawei.isales"], check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(tree, "hacking", "docsite_offline.py"), encoding="utf-8") as handle:
        offline = handle.read()
    with open(os.path.join(dest, "conf.py"), "a", encoding="utf-8") as handle:
        handle.write("\n" + offline)
    subprocess.run(["bash", os.path.join(dest, "build.sh")], cwd=dest, check=True)

    html = os.path.join(dest, "build", "html")
    problems = []
    with open(os.path.join(tree, "docs", "docsite", "extra-docs.yml"), encoding="utf-8") as handle:
        sections = yaml.safe_load(handle).get("sections") or []
    guides = [entry for section in sections for entry in section.get("toctree") or []]
    for guide in guides:
        if not os.path.isfile(os.path.join(html, "docsite", guide + ".html")):
            problems.append("the docs site has no page for the guide %s" % guide)
    modules = sorted(n[:-3] for n in os.listdir(os.path.join(tree, "plugins", "modules"))
                     if n.endswith(".py") and not n.startswith("_"))
    for module in modules:
        if not os.path.isfile(os.path.join(html, module + "_module.html")):
            problems.append("the docs site has no page for the module %s" % module)
    getting_started = os.path.join(html, "docsite", "getting_started.html")
    if os.path.isfile(getting_started):
        with open(getting_started, encoding="utf-8") as handle:
            text = re.sub(r"<[^>]*>", "", handle.read())
        if DEMO_COMMAND not in text:
            problems.append("getting_started does not show the demo command (%s)" % DEMO_COMMAND)
    if problems:
        sys.exit("\n".join(problems))
    pages = sum(name.endswith(".html") for walked in os.walk(html) for name in walked[2])
    print("docs site OK: %s (%d pages; guides %s; %d module pages)"
          % (os.path.join(html, "index.html"), pages, ", ".join(guides), len(modules)))


if __name__ == "__main__":
    main()
