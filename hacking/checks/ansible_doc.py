# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible-doc renders every module of the collection, as users see it.

`ansible-doc -l NAMESPACE.NAME` lists exactly the modules in plugins/modules;
`ansible-doc` of all of them, as text and as JSON (what antsibull-docs and
Galaxy read), exits 0 with nothing on stderr (no warning, no deprecation)
but the Python warnings that installed packages raise while ansible-core
imports them (cryptography's deprecations, say: not about our docs), and the
JSON has a doc for each. When a run over all modules
fails, each module is run alone to name the culprit.

usage: python hacking/checks/ansible_doc.py COLLECTION_DIR
(with the collection on ANSIBLE_COLLECTIONS_PATH; nox -s lint runs it)
"""

import json
import os
import re
import subprocess
import sys


# A Python warning as the warnings module prints it: "FILE:LINE: Category: message", then the source line.
PY_WARNING = re.compile(r"^(?P<file>/\S+\.py):\d+: \w*Warning: .*\n(?:[ \t]+\S.*\n?)?", re.M)


def without_package_warnings(err):
    """stderr less the Python warnings raised inside installed packages (site-packages)."""
    return PY_WARNING.sub(lambda m: "" if os.sep + "site-packages" + os.sep in m.group("file") else m.group(0), err)


def ansible_doc(*args):
    proc = subprocess.run(["ansible-doc", "-t", "module"] + list(args), capture_output=True, text=True, check=False)
    return proc.returncode, proc.stdout, without_package_warnings(proc.stderr)


def check(mode, modules):
    """None if ansible-doc in MODE (text/json) is happy with MODULES, else the problem."""
    rc, out, err = ansible_doc(*((["--json"] if mode == "json" else []) + modules))
    if rc != 0 or err.strip():
        return "exit %d, stderr:\n%s" % (rc, err)
    if mode == "json":
        data = json.loads(out)
        missing = [m for m in modules if not data.get(m, {}).get("doc")]
        if missing:
            return "no doc for %s" % ", ".join(missing)
    return None


def main():
    tree = os.path.abspath(sys.argv[1])
    with open(os.path.join(tree, "galaxy.yml"), encoding="utf-8") as handle:
        meta = dict(re.findall(r"^(namespace|name):\s*(\S+)", handle.read(), re.M))
    fqcn = "%s.%s" % (meta["namespace"], meta["name"])
    modules = sorted("%s.%s" % (fqcn, name[:-3]) for name in os.listdir(os.path.join(tree, "plugins", "modules"))
                     if name.endswith(".py") and not name.startswith("_"))
    if not modules:
        sys.exit("no modules in plugins/modules")

    rc, out, err = ansible_doc("-l", fqcn)
    listed = sorted(line.split()[0] for line in out.splitlines() if line.strip())
    if rc != 0 or err.strip():
        sys.exit("ansible-doc -l %s: exit %d, stderr:\n%s" % (fqcn, rc, err))
    if listed != modules:
        sys.exit("ansible-doc -l lists:\n  %s\nbut plugins/modules has:\n  %s"
                 % ("\n  ".join(listed), "\n  ".join(modules)))
    print("ok   ansible-doc -l lists the %d modules" % len(modules))

    failed = 0
    for mode in ("text", "json"):
        problem = check(mode, modules)
        if problem is None:
            print("ok   ansible-doc %-4s %s" % (mode, " ".join(modules)))
            continue
        culprits = 0
        for module in modules:
            problem_one = check(mode, [module])
            if problem_one:
                culprits += 1
                print("FAIL ansible-doc %-4s %s: %s" % (mode, module, problem_one.replace("\n", "\n    ")))
        if not culprits:
            print("FAIL ansible-doc %-4s on all modules at once: %s" % (mode, problem))
        failed += max(culprits, 1)
    if failed:
        sys.exit("%d ansible-doc problem(s)" % failed)


if __name__ == "__main__":
    main()
