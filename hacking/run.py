# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the huawei.isales test sessions: python3 hacking/run.py [NOX ARGUMENTS]

Makes .venv (nox and antsibull-nox only, from hacking/requirements/nox.txt;
remade when that file changes), links the Python interpreters the sessions
need into .nox/.pythons (reporting any that is missing: the sessions needing
it fail), then runs nox with noxfile.py. Without arguments it runs every
default session, three at a time (`-j 3`); with arguments it passes them to nox
(`-s demo`, `-s "units(core='2.21')"`, `-l`, `-s demo -- --diff`).
Ends with one table of every session that ran, its result and its seconds,
and `N passed, N failed`; exits non-zero when any failed.

Settings (environment): ISALES_VENV, ISALES_JOBS, and those of
hacking/nox_support.py; see hacking/README.md.
"""

import ast
import fcntl
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time

HACKING = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HACKING)
sys.path.insert(0, HACKING)
import nox_support  # noqa: E402  pylint: disable=wrong-import-position

REQUIREMENTS = os.path.join(HACKING, "requirements", "nox.txt")
PASS_THROUGH = {"-l", "--list", "--list-sessions", "-h", "--help", "--usage", "--version", "--json"}


def say(message):
    print("==> %s" % message, file=sys.stderr, flush=True)


def ensure_venv(venv):
    """.venv with nox: made (or remade) when missing, broken, or hacking/requirements/nox.txt changed."""
    with open(REQUIREMENTS, "rb") as handle:
        want = hashlib.sha256(b"run.py v1\n" + handle.read()).hexdigest()
    stamp = os.path.join(venv, ".isales-bootstrap")
    python = os.path.join(venv, "bin", "python")
    try:
        with open(stamp, encoding="utf-8") as handle:
            if handle.read().strip() == want and subprocess.run([python, "-c", ""], check=False).returncode == 0:
                return python
    except OSError:
        pass
    if os.path.exists(venv):
        if not os.path.exists(os.path.join(venv, "pyvenv.cfg")):
            sys.exit("%s exists and is not a virtualenv: move it away or set ISALES_VENV" % venv)
        shutil.rmtree(venv)
    say("making %s with nox (Python %d.%d)" % (venv, *sys.version_info[:2]))
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    subprocess.run([python, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", REQUIREMENTS],
                   check=True)
    with open(stamp, "w", encoding="utf-8") as handle:
        handle.write(want + "\n")
    return python


def noxfile_constant(name):
    """A literal assigned at the top of noxfile.py (CORE_MATRIX, SANITY), read without importing nox."""
    with open(os.path.join(ROOT, "noxfile.py"), encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise KeyError(name)


def check_interpreters():
    """Link the interpreters; name the missing ones and the sessions that will fail for them."""
    needs = {}
    for core, python in noxfile_constant("CORE_MATRIX").items():
        for session in ("units", "integration"):
            needs.setdefault(python, []).append("%s(core='%s')" % (session, core))
    for core, pythons in noxfile_constant("SANITY").items():
        for python in pythons:
            needs.setdefault(python, []).append("sanity(core='%s')" % core)
    found = nox_support.setup_interpreters(sorted(needs, key=nox_support.version_key))
    for version in sorted(needs, key=nox_support.version_key):
        if version not in found:
            say("MISSING: Python %s (python%s on PATH, in pyenv, or ISALES_PYTHON_%s) -- these sessions will FAIL: %s"
                % (version, version, version.replace(".", "_"), ", ".join(needs[version])))
    say("Python interpreters: " + ", ".join("%s %s" % (v, found[v]) for v in sorted(found, key=nox_support.version_key)))


def summary(report, seconds):
    try:
        with open(report, encoding="utf-8") as handle:
            sessions = json.load(handle)["sessions"]
    except (OSError, ValueError, KeyError):
        sessions = []
    rows = []
    for entry in sessions:
        name = (entry.get("signatures") or [entry["name"]])[0]
        result = entry.get("result", "?")
        rows.append((name, "PASS" if result == "success" else result.upper(), entry.get("duration")))
    if not rows:
        rows.append(("nox", "FAILED", None))  # it ran no session at all
    width = max(len(row[0]) for row in rows) + 2
    print("\n" + "=" * 72 + "\n== summary\n" + "=" * 72)
    print("%-*s %-10s %8s" % (width, "session", "result", "seconds"))
    for name, result, duration in rows:
        print("%-*s %-10s %8s" % (width, name, result, "-" if duration is None else "%.1f" % duration))
    passed = sum(row[1] == "PASS" for row in rows)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print("wall time %.0f s, CPU time %.0f s (every process this run waited for)" % (seconds, usage.ru_utime + usage.ru_stime))
    print("%d passed, %d failed" % (passed, len(rows) - passed))
    return passed == len(rows)


def main():
    args = sys.argv[1:]
    if sys.version_info < (3, 11):
        sys.exit("hacking/run.py needs Python 3.11 or later (this is %d.%d)" % sys.version_info[:2])
    start = time.monotonic()
    venv = os.path.abspath(os.environ.get("ISALES_VENV") or os.path.join(ROOT, ".venv"))
    os.makedirs(os.path.join(ROOT, ".nox"), exist_ok=True)
    # One run per checkout at a time: runs share .nox/ (its venvs) and .venv.
    with open(os.path.join(ROOT, ".nox", ".run.lock"), "w", encoding="utf-8") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            say("waiting for another hacking/run.py in this checkout")
            fcntl.flock(lock, fcntl.LOCK_EX)
        python = ensure_venv(venv)
        nox = [python, "-m", "nox", "-f", os.path.join(ROOT, "noxfile.py")]
        if PASS_THROUGH.intersection(args):
            return subprocess.run(nox + args, cwd=ROOT, check=False).returncode
        check_interpreters()
        report = os.path.join(ROOT, ".nox", "report.json")
        if os.path.exists(report):
            os.unlink(report)
        if not args:
            args = ["-j", os.environ.get("ISALES_JOBS", "3")]
        say("bootstrap took %.0f s; running %s" % (time.monotonic() - start, " ".join(["nox"] + args)))
        rc = subprocess.run(nox + ["--report", report] + args, cwd=ROOT, check=False).returncode
        ok = summary(report, time.monotonic() - start)
    return 0 if ok and rc == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
