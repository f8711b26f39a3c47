# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What noxfile.py needs besides nox: interpreters, a collection tree, ansible-test offline.

* Interpreters. pyenv puts shims (python3.12, ...) on PATH that exit 127 unless
  that version is active, and nox and ansible-test both take the first
  python3.X on PATH. ``setup_interpreters()`` links the interpreters that really
  run into ``.nox/.pythons/`` and puts that directory first on PATH;
  ``require_pythons()`` fails a session that needs one that is missing.
* A collection tree. ansible-test wants the collection at
  ``.../ansible_collections/huawei/isales``; ``collection_tree()`` copies the
  project's files (git-tracked plus untracked-not-ignored) there, outside the
  work tree, so that no ``.git`` above it hides the files.
* ansible-test offline. It bootstraps pip in every venv it makes with a
  get-pip.py downloaded from a host that may be unreachable; ``ansible_test()``
  puts a stand-in (``get_pip_standin.py``) where it looks first, and
  serialises ``ansible-test sanity`` runs, which share venvs in ~/.ansible/test.
* A simulator for the sessions that run playbooks (demo, benchmark), through
  the launcher of the integration targets.

Settings (environment): ISALES_PYTHON_3_X, ISALES_KEEP_TREES, ISALES_SIM_START_TIMEOUT;
see hacking/README.md.
"""

import contextlib
import fcntl
import glob
import json
import os
import re
import secrets
import shutil
import subprocess
import tempfile

HACKING = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HACKING)
PYTHONS_DIR = os.path.join(ROOT, ".nox", ".pythons")
LAUNCHER = os.path.join(ROOT, "tests", "integration", "targets", "setup_isales_sim", "files", "isales_sim.py")
STANDIN = os.path.join(HACKING, "get_pip_standin.py")
STANDIN_MARKER = "# huawei.isales get-pip stand-in"
ANSIBLE_TEST_HOME = os.path.expanduser("~/.ansible/test")
# Never part of a collection tree, even when .gitignore misses them.
NOT_COPIED = (".git", ".nox", ".venv", "build", ".tox", "__pycache__", ".pytest_cache", ".hypothesis",
              ".ansible", ".mypy_cache")


# ------------------------------------------------------------------ interpreters

def _probe(exe, version):
    """The real path of EXE if it runs as Python VERSION with venv and ensurepip, else None."""
    env = {k: v for k, v in os.environ.items() if k != "PYENV_VERSION"}  # ansible-test drops it too
    code = ("import sys, os, venv, ensurepip; "
            "print('%d.%d' % sys.version_info[:2]); print(os.path.realpath(sys.executable))")
    try:
        out = subprocess.run([exe, "-c", code], env=env, capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    lines = out.stdout.split()
    return lines[1] if len(lines) == 2 and lines[0] == version else None


def _pyenv_root():
    if os.environ.get("PYENV_ROOT"):
        return os.environ["PYENV_ROOT"]
    try:
        return subprocess.run(["pyenv", "root"], capture_output=True, text=True, timeout=30,
                              check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return os.path.expanduser("~/.pyenv")


def _candidates(version):
    """Where python<version> may be: the setting, PATH (without our own dir), pyenv's versions."""
    setting = os.environ.get("ISALES_PYTHON_" + version.replace(".", "_"))
    if setting:
        return [setting]  # set: that one, or none
    found = []
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        if directory and os.path.abspath(directory) != PYTHONS_DIR:
            found.append(os.path.join(directory, "python" + version))
    pattern = os.path.join(_pyenv_root(), "versions", version + ".*", "bin", "python" + version)
    found += sorted(glob.glob(pattern), key=version_key, reverse=True)
    return [path for path in found if os.path.isfile(path) and os.access(path, os.X_OK)]


def version_key(path):
    return [int(part) if part.isdigit() else 0 for part in re.findall(r"\d+|\D+", path)]


def setup_interpreters(versions):
    """Link python3.X for every version that really runs into PYTHONS_DIR; put it first on PATH.

    Links that still point at an existing interpreter are kept (every nox
    subprocess imports the noxfile: probing again each time would cost seconds).
    Returns {version: path} of what was found.
    """
    os.makedirs(PYTHONS_DIR, exist_ok=True)
    found = {}
    for version in versions:
        link = os.path.join(PYTHONS_DIR, "python" + version)
        if os.path.islink(link) and os.path.exists(link):
            found[version] = os.path.realpath(link)
            continue
        for candidate in _candidates(version):
            real = _probe(candidate, version)
            if real:
                tmp = "%s.%d" % (link, os.getpid())
                os.symlink(real, tmp)
                os.replace(tmp, link)
                found[version] = real
                break
    path = [d for d in os.environ.get("PATH", "").split(os.pathsep) if d and os.path.abspath(d) != PYTHONS_DIR]
    os.environ["PATH"] = os.pathsep.join([PYTHONS_DIR] + path)
    return found


def missing_pythons(versions):
    return [v for v in versions if not os.path.exists(os.path.join(PYTHONS_DIR, "python" + v))]


def require_pythons(session, versions, why):
    """Fail SESSION (never skip it) when one of the Python VERSIONS is not on this machine."""
    missing = missing_pythons(versions)
    if missing:
        session.error(
            "%s needs Python %s, which was not found (looked for python3.X on PATH and in pyenv's versions; "
            "a broken pyenv shim does not count). Install it, or point ISALES_PYTHON_%s at one."
            % (why, ", ".join(missing), missing[0].replace(".", "_")))


def ansible_test_path(session):
    """PATH for ansible-test: the session's venv, our interpreters, then PATH without directories whose
    python3.X do not run (ansible-test dies on a pyenv shim instead of skipping that version)."""
    keep = []
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        if not directory or os.path.abspath(directory) in (PYTHONS_DIR, os.path.abspath(session.bin)):
            continue
        pythons = glob.glob(os.path.join(directory, "python3.[0-9]*"))
        broken = [p for p in pythons if re.search(r"python3\.\d+$", p)
                  and not os.path.exists(os.path.join(PYTHONS_DIR, os.path.basename(p)))
                  and not _probe(p, os.path.basename(p)[len("python"):])]
        if broken:
            session.log("leaving %s off PATH for ansible-test: %s does not run" % (directory, broken[0]))
            continue
        keep.append(directory)
    return os.pathsep.join([session.bin, PYTHONS_DIR] + keep)


# --------------------------------------------------------------- collection tree

def tmp_dir(session):
    """The session's scratch directory (.nox/<session>/tmp), as an absolute path."""
    return os.path.join(ROOT, session.create_tmp())


def collections_root(tree):
    """The directory holding ansible_collections/ for the collection TREE (for ANSIBLE_COLLECTIONS_PATH)."""
    return os.path.dirname(os.path.dirname(os.path.dirname(tree)))


def project_files():
    """Paths (relative to ROOT) of the project's files: git-tracked plus untracked files git does not
    ignore, minus deleted ones. Outside a git checkout: every file but VCS data, venvs and caches."""
    try:
        out = subprocess.run(["git", "-C", ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             capture_output=True, check=True).stdout.decode("utf-8")
        paths = sorted(set(p for p in out.split("\0") if p))
    except (OSError, subprocess.CalledProcessError):
        paths = []
        for dirpath, dirnames, filenames in os.walk(ROOT):
            dirnames[:] = [d for d in dirnames if d not in NOT_COPIED
                           and os.path.relpath(os.path.join(dirpath, d), ROOT) != os.path.join("tests", "output")]
            paths += [os.path.relpath(os.path.join(dirpath, f), ROOT) for f in filenames]
    return [p for p in paths if p.split("/")[0] not in NOT_COPIED and os.path.lexists(os.path.join(ROOT, p))
            and "__pycache__" not in p.split("/")]


@contextlib.contextmanager
def collection_tree(session):
    """Yield the path of a fresh copy of the collection at TMP/ansible_collections/huawei/isales.

    The copy lives outside the work tree (so ansible-test, finding no .git above
    it, lists exactly the copied files) and is removed afterwards; its
    tests/output (ansible-test's reports) is kept in the session's tmp dir.
    ISALES_KEEP_TREES=1 keeps the whole copy.
    """
    with open(os.path.join(ROOT, "galaxy.yml"), encoding="utf-8") as handle:
        meta = dict(re.findall(r"^(namespace|name):\s*(\S+)", handle.read(), re.M))
    top = tempfile.mkdtemp(prefix="isales-%s-" % re.sub(r"[^a-z0-9]+", "-", session.name.lower()).strip("-"))
    tree = os.path.join(top, "ansible_collections", meta["namespace"], meta["name"])
    for rel in project_files():
        src, dest = os.path.join(ROOT, rel), os.path.join(tree, rel)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        if os.path.islink(src):
            os.symlink(os.readlink(src), dest)
        else:
            shutil.copy2(src, dest)
    session.log("collection tree: %s" % tree)
    try:
        yield tree
    finally:
        output = os.path.join(tree, "tests", "output")
        if os.path.isdir(output):
            kept = os.path.join(tmp_dir(session), "tests-output")
            shutil.rmtree(kept, ignore_errors=True)
            shutil.copytree(output, kept, symlinks=True, ignore=shutil.ignore_patterns(".tmp"))
            session.log("ansible-test reports: %s" % kept)
        if os.environ.get("ISALES_KEEP_TREES"):
            session.log("kept %s (ISALES_KEEP_TREES)" % top)
        else:
            shutil.rmtree(top, ignore_errors=True)


# ------------------------------------------------------------------ ansible-test

def ansible_test_dir(session):
    found = glob.glob(os.path.join(session.virtualenv.location, "lib", "python3*", "site-packages", "ansible_test"))
    if not found:
        session.error("ansible-test is not installed in %s" % session.virtualenv.location)
    return found[0]


def ansible_test_pythons(session):
    """The Python versions the session's ansible-test supports (controller and module-only)."""
    with open(os.path.join(ansible_test_dir(session), "_util", "target", "common", "constants.py"),
              encoding="utf-8") as handle:
        text = handle.read()
    found = []
    for name in ("REMOTE_ONLY_PYTHON_VERSIONS", "CONTROLLER_PYTHON_VERSIONS"):
        block = re.search(name + r"\s*=\s*\(([^)]*)\)", text)
        found += re.findall(r"'(\d+\.\d+)'", block.group(1)) if block else []
    return found


def install_get_pip_standin(session):
    """Put the get-pip stand-in where the session's ansible-test looks before downloading get-pip.py.

    The pip version is the pin in ansible-test's own python_requirements.py
    (each release pins its own); a real get-pip.py found there is left alone.
    """
    at_dir = ansible_test_dir(session)
    with open(os.path.join(at_dir, "_internal", "python_requirements.py"), encoding="utf-8") as handle:
        match = re.search(r"""^\s*pip\s*=\s*['"](\d[\d.]*)['"]""", handle.read(), re.M)
    if not match:
        session.error("cannot find the pip pin in %s/_internal/python_requirements.py" % at_dir)
    cache = os.path.join(ANSIBLE_TEST_HOME, "cache", "get_pip_%s.py" % match.group(1).replace(".", "_"))
    with open(STANDIN, encoding="utf-8") as handle:
        text = handle.read()
    if os.path.exists(cache):
        with open(cache, encoding="utf-8", errors="replace") as handle:
            current = handle.read()
        if STANDIN_MARKER not in current or current == text:
            return match.group(1)  # a real get-pip.py, or ours already
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    tmp = "%s.%d" % (cache, os.getpid())
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, cache)
    session.log("get-pip %s stand-in: %s" % (match.group(1), cache))
    return match.group(1)


@contextlib.contextmanager
def sanity_lock(session):
    """Hold ~/.ansible/test/sanity.lock while ansible-test sanity runs.

    Sanity makes its venvs under ~/.ansible/test/venv/<test>/<python>/<hash>, and two runs making the
    same one at once break it ("Required program .../bin/python not found"). Releases that pin different
    pips can still hash to the same venv (2.19 and 2.21 do, for Python 3.10), so every sanity run takes
    turns, whatever its ansible-core; the other sessions fill the cores meanwhile. units/integration on a
    given interpreter make no venv there and take no lock."""
    with _locked(session, "sanity.lock", "another ansible-test sanity run"):
        yield


@contextlib.contextmanager
def _locked(session, name, what):
    os.makedirs(ANSIBLE_TEST_HOME, exist_ok=True)
    with open(os.path.join(ANSIBLE_TEST_HOME, name), "w", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            session.log("waiting for %s (%s)" % (what, handle.name))
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def ensure_ssh_key(session):
    """Make ~/.ansible/test/id_rsa(.pub) once, as ansible-test would.

    Every ansible-test run makes this key pair if it is missing, with ssh-keygen
    straight into place: two runs starting at once on a fresh home both try, and
    the second fails on ssh-keygen's "Overwrite?" prompt. So it is made here,
    under a lock, in a scratch directory and then moved into place."""
    key = os.path.join(ANSIBLE_TEST_HOME, "id_rsa")
    if os.path.isfile(key) and os.path.isfile(key + ".pub"):
        return
    with _locked(session, "ssh-key.lock", "another run making the ansible-test SSH key"):
        if os.path.isfile(key) and os.path.isfile(key + ".pub"):
            return
        scratch = tempfile.mkdtemp(dir=ANSIBLE_TEST_HOME)
        try:
            new = os.path.join(scratch, "id_rsa")
            subprocess.run(["ssh-keygen", "-m", "PEM", "-q", "-t", "rsa", "-N", "", "-f", new], check=True,
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
            with open(new, encoding="utf-8") as handle:  # paramiko wants the RSA header, as ansible-test writes it
                text = re.sub(r"(BEGIN|END) PRIVATE KEY", r"\1 RSA PRIVATE KEY", handle.read())
            with open(new, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(new + ".pub", key + ".pub")
            os.replace(new, key)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        session.log("made the ansible-test SSH key %s" % key)


def ansible_test(session, tree, *args):
    """ansible-test ARGS in the collection TREE, offline, with the interpreters PATH."""
    ensure_ssh_key(session)
    install_get_pip_standin(session)
    env = {"PATH": ansible_test_path(session)}
    with session.chdir(tree):
        if args[0] == "sanity":
            with sanity_lock(session):
                session.run("ansible-test", *args, env=env, external=True)
        else:
            session.run("ansible-test", *args, env=env, external=True)


# --------------------------------------------------------------------- simulator

@contextlib.contextmanager
def simulator(session, state_dir, *sim_args, lifetime=1800):
    """Start the HTTPS simulator with the session's Python (it needs trustme); yield the ISALES_*
    variables of it (the random secret key included) and stop it afterwards, whatever happens."""
    secret = secrets.token_hex(20)
    shutil.rmtree(state_dir, ignore_errors=True)
    timeout = os.environ.get("ISALES_SIM_START_TIMEOUT", "30")
    out = session.run("python", LAUNCHER, "start", "--state-dir", state_dir, "--lifetime", str(lifetime),
                      "--timeout", timeout, "--", *sim_args, env={"ISALES_SIM_SECRET_KEY": secret}, silent=True)
    info = json.loads(out)
    session.log("simulator at %s (pid %s, log %s)" % (info["url"], info["pid"], info["log"]))
    try:
        yield {"ISALES_URL": info["url"], "ISALES_ACCESS_KEY": info["access_key"], "ISALES_SECRET_KEY": secret,
               "ISALES_CA_PATH": info["ca_path"], "ISALES_SIM_ADMIN": info["admin_url"],
               "ISALES_SIM_LOG": info["log"]}
    finally:
        session.run("python", LAUNCHER, "stop", "--state-dir", state_dir, "--pid", str(info["pid"]), silent=True)


# ------------------------------------------------------------------------ steps

def run_steps(session, steps, env=None, stop_on_failure=False):
    """Run the commands of STEPS ({name: (command, hint on failure)}) in order; go on after a failure
    (unless STOP_ON_FAILURE) and fail the session at the end, naming every step that failed."""
    # hacking/run.py imports this module where nox is not installed
    import nox  # pylint: disable=import-outside-toplevel

    failed = []
    for name, (command, hint) in steps.items():
        session.log("--- %s" % name)
        try:
            session.run(*command, env=env)
        except nox.command.CommandFailed:
            failed.append(name)
            session.warn("%s FAILED%s" % (name, ": " + hint if hint else ""))
            if stop_on_failure:
                break
    if failed:
        session.error("failed: %s" % ", ".join(failed))
    session.log("all passed: %s" % ", ".join(steps))
