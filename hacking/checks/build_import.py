# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Build the collection artifact as a release does and run Galaxy's importer on it.

1. `ansible-galaxy collection build` from the checkout itself, exactly as a
   maintainer would: galaxy.yml's build_ignore has to keep junk out.
2. The artifact holds no generated or local files (build output, venvs, test
   output, caches) and holds every file a release needs.
3. galaxy-importer (settings: hacking/galaxy-importer.cfg; no containers,
   its ansible-test step off) accepts it with no warning and no error.

usage: python hacking/checks/build_import.py ROOT OUT_DIR   (nox -s build-import runs it)
"""

import glob
import os
import re
import shutil
import subprocess
import sys
import tarfile

# Anything under these is generated or local, never part of a release.
UNWANTED = re.compile(r"(^|/)(build|\.venv|venv|\.nox|\.tox|tests/output|\.pytest_cache|\.hypothesis|\.ansible|"
                      r"__pycache__|context)(/|$)|\.pyc$|\.plugin-cache\.yaml$|(^|/)tests/integration/inventory$|"
                      r"^docs/docsite/build/")
REQUIRED = ("MANIFEST.json", "FILES.json", "meta/runtime.yml", "meta/execution-environment.yml", "requirements.txt",
            "bindep.txt", "changelogs/changelog.yaml", "CHANGELOG.rst", "README.md", "COPYING")
# A word of complaint; not part of a name such as the module_utils file _errors ("Loading module_utils _errors").
COMPLAINT = re.compile(r"(^|[^a-z_])(warning|error|fatal|traceback)", re.I)


def main():
    root, out = (os.path.abspath(arg) for arg in sys.argv[1:3])
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(out, "tmp"))
    subprocess.run(["ansible-galaxy", "collection", "build", root, "--output-path", out, "--force"], check=True)
    tarballs = glob.glob(os.path.join(out, "*.tar.gz"))
    if len(tarballs) != 1:
        sys.exit("ansible-galaxy built %d artifacts in %s, not one" % (len(tarballs), out))
    tarball = tarballs[0]

    with tarfile.open(tarball) as archive:
        names = [name[2:] if name.startswith("./") else name for name in archive.getnames()]
    bad = [name for name in names if UNWANTED.search(name)]
    if bad:
        sys.exit("the artifact holds generated files (fix build_ignore in galaxy.yml):\n  " + "\n  ".join(bad))
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        sys.exit("the artifact lacks " + ", ".join(missing))
    print("%s: %d files, none generated, all required ones there" % (os.path.basename(tarball), len(names)))

    env = dict(os.environ, GALAXY_IMPORTER_CONFIG=os.path.join(root, "hacking", "galaxy-importer.cfg"),
               GALAXY_IMPORTER_TMP_ROOT_DIR=os.path.join(out, "tmp"))
    proc = subprocess.run([sys.executable, "-m", "galaxy_importer.main", tarball], cwd=os.path.join(out, "tmp"),
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    print(proc.stdout)
    if proc.returncode != 0:
        sys.exit("galaxy-importer failed (exit %d)" % proc.returncode)
    if "Importer processing completed successfully" not in proc.stdout:
        sys.exit("galaxy-importer did not report success")
    complaints = [line for line in proc.stdout.splitlines() if COMPLAINT.search(line)]
    if complaints:
        sys.exit("galaxy-importer reported warnings or errors (Galaxy must accept the artifact cleanly):\n  "
                 + "\n  ".join(complaints))
    print("galaxy-importer accepted %s with no warnings" % os.path.basename(tarball))


if __name__ == "__main__":
    main()
