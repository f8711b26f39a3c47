# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection installs into an execution environment.

1. bindep.txt is valid bindep, and `ansible-builder introspect` on the
   installed artifact finds the collection's Python (requirements.txt) and
   system (bindep.txt) dependencies through meta/execution-environment.yml.
2. `ansible-builder create` turns docs/awx/execution-environment.yml (the
   definition users build, collection from Galaxy) into a build context.
3. The same definition, pointed at the artifact built here instead of
   Galaxy, gives a context that copies and installs that artifact.
`create` and `introspect` need no container engine; `build` would.

usage: python hacking/checks/execution_environment.py COLLECTION_DIR WORK_DIR   (nox -s ee runs it)
"""

import glob
import os
import re
import shutil
import subprocess
import sys

import yaml


def run(*command, **kwargs):
    print("+ " + " ".join(command), flush=True)
    return subprocess.run(command, check=True, text=True, **kwargs)


def check_context(context, what):
    """The build context has a Containerfile that installs the Galaxy requirements and introspects."""
    path = os.path.join(context, "Containerfile")
    if not os.path.isfile(path):
        sys.exit("ansible-builder create wrote no Containerfile for %s" % what)
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    for pattern, meaning in ((r"ansible-galaxy collection install .*-r requirements.yml", "install the collections"
                              " of requirements.yml"), ("introspect", "introspect the collections' dependencies"),
                             ("ansible-core", "install ansible-core")):
        if not re.search(pattern, text):
            sys.exit("%s: the Containerfile does not %s" % (what, meaning))
    print("    %s: %d lines" % (path, text.count("\n")))


def main():
    tree, work = (os.path.abspath(arg) for arg in sys.argv[1:3])
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "dist"))

    print(run("bindep", "--file", os.path.join(tree, "bindep.txt"), "--list_all=newline",
              stdout=subprocess.PIPE).stdout)
    run("ansible-galaxy", "collection", "build", tree, "--output-path", os.path.join(work, "dist"), "--force")
    tarball = glob.glob(os.path.join(work, "dist", "*.tar.gz"))[0]
    run("ansible-galaxy", "collection", "install", tarball, "-p", os.path.join(work, "collections"), "--force")

    pip_out, bindep_out = os.path.join(work, "introspect-requirements.txt"), os.path.join(work, "introspect-bindep.txt")
    run("ansible-builder", "introspect", "--sanitize", os.path.join(work, "collections"),
        "--write-pip", pip_out, "--write-bindep", bindep_out)
    with open(pip_out, encoding="utf-8") as handle:
        pip_reqs = handle.read()
    with open(bindep_out, encoding="utf-8") as handle:
        bindep_reqs = handle.read()
    if not re.search(r"^requests([^a-z_-]|$)", pip_reqs, re.M):
        sys.exit("introspect did not find requests (requirements.txt through meta/execution-environment.yml)")
    if "huawei.isales" not in pip_reqs:
        sys.exit("introspect did not attribute the Python requirements to huawei.isales")
    if not re.search(r"^python3 ", bindep_reqs, re.M):
        sys.exit("introspect did not find the bindep.txt entries")

    definition = os.path.join(tree, "docs", "awx", "execution-environment.yml")
    galaxy_context = os.path.join(work, "context-galaxy")
    run("ansible-builder", "create", "--file", definition, "--context", galaxy_context,
        "--output-filename", "Containerfile")
    check_context(galaxy_context, "docs/awx/execution-environment.yml")
    with open(os.path.join(galaxy_context, "_build", "requirements.yml"), encoding="utf-8") as handle:
        if "huawei.isales" not in handle.read():
            sys.exit("the build context's requirements.yml does not name huawei.isales")

    # The same definition with the artifact built here; _build/ is /build in the image.
    local = os.path.join(work, "local")
    os.makedirs(local)
    with open(definition, encoding="utf-8") as handle:
        ee = yaml.safe_load(handle)
    name = os.path.basename(tarball)
    shutil.copy(tarball, os.path.join(local, name))
    ee["dependencies"]["galaxy"] = "requirements.yml"
    ee["additional_build_files"] = [{"src": name, "dest": "collections"}]
    with open(os.path.join(local, "requirements.yml"), "w", encoding="utf-8") as handle:
        yaml.safe_dump({"collections": [{"name": "collections/" + name, "type": "file"}]}, handle)
    with open(os.path.join(local, "execution-environment.yml"), "w", encoding="utf-8") as handle:
        yaml.safe_dump(ee, handle, sort_keys=False)
    local_context = os.path.join(work, "context-local")
    run("ansible-builder", "create", "--file", os.path.join(local, "execution-environment.yml"),
        "--context", local_context, "--output-filename", "Containerfile")
    check_context(local_context, "the local definition")
    if not os.path.isfile(os.path.join(local_context, "_build", "collections", name)):
        sys.exit("the build context does not carry %s" % name)
    print("execution environment OK: build contexts in %s and %s" % (galaxy_context, local_context))


if __name__ == "__main__":
    main()
