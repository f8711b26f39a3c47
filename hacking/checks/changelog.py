# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The changelog beyond antsibull-changelog's own lint.

* CHANGELOG.rst is exactly what `antsibull-changelog generate` makes from
  changelogs/changelog.yaml (it is generated, never edited by hand);
* changelog.yaml has a release, and every module a release lists exists in
  plugins/modules.
Reports whether galaxy.yml's version is released yet (fragments wait for
`antsibull-changelog release`).

usage: python hacking/checks/changelog.py [ROOT]   (nox -s changelog runs it)
"""

import difflib
import os
import shutil
import subprocess
import sys
import tempfile

import yaml


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
    problems = []

    # generate only reads changelog.yaml and the config: no plugins, no network.
    scratch = tempfile.mkdtemp(prefix="isales-changelog-")
    try:
        for name in ("galaxy.yml", "CHANGELOG.rst"):
            shutil.copy2(os.path.join(root, name), scratch)
        shutil.copytree(os.path.join(root, "changelogs"), os.path.join(scratch, "changelogs"))
        subprocess.run(["antsibull-changelog", "generate"], cwd=scratch, check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(scratch, "CHANGELOG.rst"), encoding="utf-8") as handle:
            generated = handle.read()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    with open(os.path.join(root, "CHANGELOG.rst"), encoding="utf-8") as handle:
        committed = handle.read()
    if generated != committed:
        sys.stdout.writelines(difflib.unified_diff(committed.splitlines(True), generated.splitlines(True),
                                                   "CHANGELOG.rst", "generated"))
        problems.append("CHANGELOG.rst is not what antsibull-changelog generates from changelogs/changelog.yaml: "
                        "run 'antsibull-changelog generate' (never edit it by hand)")

    with open(os.path.join(root, "galaxy.yml"), encoding="utf-8") as handle:
        version = str(yaml.safe_load(handle)["version"])
    with open(os.path.join(root, "changelogs", "changelog.yaml"), encoding="utf-8") as handle:
        releases = (yaml.safe_load(handle) or {}).get("releases") or {}
    if not releases:
        problems.append("changelogs/changelog.yaml has no release")
    modules = set(os.path.splitext(n)[0] for n in os.listdir(os.path.join(root, "plugins", "modules"))
                  if n.endswith(".py"))
    for release, data in sorted(releases.items()):
        for entry in data.get("modules") or []:
            if entry["name"] not in modules:
                problems.append("release %s lists the module %s, which is not in plugins/modules"
                                % (release, entry["name"]))

    fragments = [n for n in os.listdir(os.path.join(root, "changelogs", "fragments")) if n.endswith((".yml", ".yaml"))]
    if version in releases:
        print("galaxy.yml version %s is released (%s); %d fragment(s) wait for the next release"
              % (version, releases[version].get("release_date"), len(fragments)))
    else:
        print("galaxy.yml version %s has no release section yet; %d fragment(s) are waiting for "
              "'antsibull-changelog release'" % (version, len(fragments)))
    if problems:
        sys.exit("\n".join(problems))
    print("CHANGELOG.rst matches changelogs/changelog.yaml; every module a release lists exists")


if __name__ == "__main__":
    main()
