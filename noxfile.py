# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The huawei.isales test sessions: `nox -l` lists them, `python3 hacking/run.py` runs them all.

Shared logic (interpreters, the collection tree ansible-test needs, the offline
get-pip stand-in, the simulator) is in hacking/nox_support.py; checks that are
more than one command are scripts in hacking/checks/.
"""

import glob
import os
import sys

import nox

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "hacking"))
import nox_support as ns  # noqa: E402  pylint: disable=wrong-import-position

# ansible-core line -> the controller Python its tests run on (one each line supports).
CORE_MATRIX = {"2.16": "3.11", "2.17": "3.11", "2.18": "3.11", "2.19": "3.11", "2.20": "3.12", "2.21": "3.13"}
# The lines whose integration session runs every target in full; the others run the targets that have a
# smoke part (tests/integration/targets/*/tasks/smoke.yml) as that smoke only, to keep CI short.
FULL_INTEGRATION = ("2.19", "2.21")
# The line of the sessions that are not about ansible-core versions (demo, resilience, tools).
MAIN_CORE = "2.19"
MAIN_PYTHON = CORE_MATRIX[MAIN_CORE]
# Sanity lines -> the module Pythons each is run on; all must be there (tests/config.yml: >=3.8).
SANITY = {
    "2.19": ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13"),
    "2.21": ("3.9", "3.10", "3.11", "3.12", "3.13"),
}

nox.options.error_on_missing_interpreters = True  # a missing Python fails its session, never skips it
nox.options.reuse_venv = "yes"
nox.options.default_venv_backend = "virtualenv"  # pip, with pip's own index configuration
nox.options.allow_parallel = True  # every session works in a tree or directory of its own
# Longest first, so that `nox -j 3` (hacking/run.py) keeps the cores busy to the end.
nox.options.sessions = (
    ["integration(core='%s')" % core for core in ("2.21", "2.20", "2.19")]
    + ["sanity(core='%s')" % core for core in SANITY]
    + ["resilience"]
    + ["integration(core='%s')" % core for core in ("2.18", "2.17", "2.16")]
    + ["build-import", "benchmark-smoke"]
    + ["units(core='%s')" % core for core in reversed(list(CORE_MATRIX))]
    + ["lint", "docs", "demo", "simulator", "ee", "changelog", "extra-checks"]
)

ns.setup_interpreters(sorted(set(CORE_MATRIX.values()).union(*SANITY.values()), key=ns.version_key))

try:
    import antsibull_nox
except ImportError:  # the checks it brings are then missing, and "extra-checks" with them
    antsibull_nox = None
else:
    antsibull_nox.load_antsibull_nox_toml()


def install(session, *args):
    """pip install ARGS into the session's venv, compiled to .pyc as pip does by default: with
    PYTHONDONTWRITEBYTECODE set (as it may be), nothing would ever cache them, and every module a
    task runs would compile requests, urllib3 and ansible-core's module_utils again (about 0.15 s
    of CPU a task, which also skewed the benchmark's per-task figures)."""
    session.install("--disable-pip-version-check", *args)


def core_spec(core):
    major, minor = core.split(".")
    return "ansible-core>=%s.%s,<%s.%d" % (major, minor, major, int(minor) + 1)


def matrix(cores):
    """Parametrize a session over ansible-core lines, each on its own Python: name(core='2.XX')."""
    return nox.parametrize(("python", "core"), [(CORE_MATRIX[core], core) for core in cores],
                           ids=["core='%s'" % core for core in cores])


# --------------------------------------------------------------- ansible-test

@nox.session
@matrix(SANITY)
def sanity(session, core):
    """ansible-test sanity, no ignore files, on every module Python of the line."""
    ignores = sorted(glob.glob(os.path.join(ns.ROOT, "tests", "sanity", "ignore-*.txt")))
    if ignores:
        session.error("sanity ignore files are not allowed in this project, fix the findings instead: %s"
                      % ", ".join(os.path.relpath(p, ns.ROOT) for p in ignores))
    ns.require_pythons(session, SANITY[core], "sanity(core='%s')" % core)
    install(session, core_spec(core))
    untested = [v for v in ns.ansible_test_pythons(session)
                if v not in SANITY[core] and ns.version_key(v) >= ns.version_key("3.8")]
    if untested:
        session.log("ansible-test %s also supports Python %s: not in this session's list, not tested here"
                    % (core, ", ".join(untested)))
    with ns.collection_tree(session) as tree:
        # No --python: every version ansible-test finds; ours come first on PATH.
        ns.ansible_test(session, tree, "sanity", "-v", *session.posargs)


@nox.session
@matrix(CORE_MATRIX)
def units(session, core):
    """ansible-test units on the line's Python."""
    install(session, core_spec(core))
    units_txt = os.path.join(ns.ansible_test_dir(session), "_data", "requirements", "units.txt")
    install(session, "-r", units_txt, "-r", "tests/unit/requirements.txt")
    with ns.collection_tree(session) as tree:
        ns.ansible_test(session, tree, "units", "--python-interpreter", os.path.join(session.bin, "python"),
                        "--python", session.python, *session.posargs)


@nox.session
@matrix(CORE_MATRIX)
def integration(session, core):
    """ansible-test integration on the line's Python; each target starts its own simulator. Off the
    FULL_INTEGRATION lines, the targets with a smoke part (tasks/smoke.yml) run only that."""
    install(session, core_spec(core), "-r", "requirements.txt", "-r", "tests/integration/requirements.txt")
    with ns.collection_tree(session) as tree:
        # ISALES_INTEGRATION_SMOKE=1 / =0: smoke / full on every line. ansible-test passes no environment
        # through to the targets; its vars file (tests/integration/integration_config.yml) reaches every one.
        smoke = os.environ.get("ISALES_INTEGRATION_SMOKE", "0" if core in FULL_INTEGRATION else "1") == "1"
        if smoke:
            config = os.path.join(tree, "tests", "integration", "integration_config.yml")
            with open(config, "a", encoding="utf-8") as handle:
                handle.write("\nisales_integration_smoke: true\n")
        session.log("ansible-core %s: the targets with a smoke part run %s"
                    % (core, "only that" if smoke else "in full"))
        ns.ansible_test(session, tree, "integration", "-v", "--python-interpreter",
                        os.path.join(session.bin, "python"), "--python", session.python, *session.posargs)


# ------------------------------------------------------------ tests of our own

def install_main_line(session, *requirement_files):
    args = [core_spec(MAIN_CORE), "-r", "requirements.txt"]
    for path in requirement_files:
        args += ["-r", path]
    install(session, *args)


@nox.session(python=MAIN_PYTHON)
def simulator(session):
    """pytest tests/simulator: the CC-iSales simulator's own tests."""
    install_main_line(session, "hacking/requirements/pytest.txt", "tests/simulator/requirements.txt")
    with ns.collection_tree(session) as tree, session.chdir(tree):
        session.run("python", "-m", "pytest", "tests/simulator", "-q", "-p", "no:cacheprovider", *session.posargs,
                    env={"PYTHONPATH": ns.collections_root(tree)})


@nox.session(python=MAIN_PYTHON)
def resilience(session):
    """tests/resilience: the fault matrix (docs/fault-matrix.md current), races, late writes, hostile servers, secrets, TLS."""
    install_main_line(session, "hacking/requirements/pytest.txt", "tests/simulator/requirements.txt")
    table = os.path.join(ns.tmp_dir(session), "fault-matrix.md")
    pytest = ["python", "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    with ns.collection_tree(session) as tree, session.chdir(tree):
        env = {"ANSIBLE_COLLECTIONS_PATH": ns.collections_root(tree)}
        ns.run_steps(session, {
            "fault matrix": (["python", "tests/resilience/fault_matrix.py", "--out", table,
                              "--docs", os.path.join(ns.ROOT, "docs", "fault-matrix.md")],
                             "after fixing the failing rows, if the table is only stale: cp %s docs/fault-matrix.md"
                             % os.path.relpath(table, ns.ROOT)),
            "concurrency": (pytest + ["tests/resilience/test_concurrency.py"], None),
            # Six ansible-playbook runs, one core each: two at a time.
            "secrets": (pytest + ["-p", "xdist", "-n", "2", "tests/resilience/test_secrets.py"], None),
            "tls": (pytest + ["tests/resilience/test_tls.py"], None),
            # Binds /dev/log while it runs (when it is free): not beside another step.
            "stop": (pytest + ["tests/resilience/test_stop.py"], None),
            # Overlapping runs, late writes, a hostile server: each file's runs share one simulator.
            "races, late writes, hostile server": (pytest + [
                "-p", "xdist", "-n", "2", "--dist", "loadfile", "tests/resilience/test_races.py",
                "tests/resilience/test_late_writes.py", "tests/resilience/test_hostile_server.py",
                "tests/resilience/test_rollout_races.py"], None),
        }, env=env)


def run_benchmark(session, smallest):
    install_main_line(session, "tests/simulator/requirements.txt", "tests/benchmarks/requirements.txt")
    tmp = ns.tmp_dir(session)
    out_dir = os.path.join(tmp, "benchmark-smoke") if smallest else os.path.join(ns.ROOT, "docs")
    args = ["--out-dir", out_dir, "--log", os.path.join(tmp, "benchmark.log"),
            "--command", "python3 hacking/run.py -s %s" % session.name] + (["--smallest"] if smallest else [])
    with ns.collection_tree(session) as tree, ns.simulator(session, os.path.join(tmp, "simulator"),
                                                           lifetime=7200) as env:
        env["ANSIBLE_COLLECTIONS_PATH"] = ns.collections_root(tree)
        session.run("python", "tests/benchmarks/run_benchmark.py", *args, *session.posargs, env=env)
    session.run("python", "tests/benchmarks/plot_benchmark.py", os.path.join(out_dir, "benchmarks.json"),
                os.path.join(out_dir, "benchmarks.png"))


@nox.session(name="benchmark-smoke", python=MAIN_PYTHON)
def benchmark_smoke(session):
    """The benchmark at its smallest size; asserts the request counts (writes into .nox/, never docs/)."""
    run_benchmark(session, smallest=True)


@nox.session(python=MAIN_PYTHON, default=False)
def benchmark(session):
    """The full benchmark (20-40 minutes); writes docs/benchmarks.md, .json and .png."""
    run_benchmark(session, smallest=False)


@nox.session(name="benchmark-task", python=MAIN_PYTHON, default=False)
def benchmark_task(session):
    """What one no-change task of each module costs, compiling its imports included (a few minutes)."""
    install_main_line(session, "tests/simulator/requirements.txt")
    tmp = ns.tmp_dir(session)
    with ns.collection_tree(session) as tree, ns.simulator(session, os.path.join(tmp, "simulator")) as env:
        env["ANSIBLE_COLLECTIONS_PATH"] = ns.collections_root(tree)
        session.run("python", "tests/benchmarks/task_cost.py", "--commit", ns.ROOT,
                    "--log", os.path.join(tmp, "task-cost.log"), *session.posargs, env=env)


@nox.session(python=MAIN_PYTHON)
def demo(session):
    """The main job: docs/examples/demo.yml and converge.yml against the simulator, no redundant write on the wire.

    converge.yml is previewed in check mode, run, then run again and in check mode: those two change nothing."""
    install_main_line(session, "tests/simulator/requirements.txt")
    tmp = ns.tmp_dir(session)
    collections = os.path.join(tmp, "collections")
    with ns.collection_tree(session) as tree:
        # Built and installed the way a user would.
        session.run("ansible-galaxy", "collection", "build", tree, "--output-path", os.path.join(tmp, "dist"),
                    "--force")
        session.run("ansible-galaxy", "collection", "install", *glob.glob(os.path.join(tmp, "dist", "*.tar.gz")),
                    "-p", collections, "--force")
    with ns.simulator(session, os.path.join(tmp, "simulator"),
                      "--campaigns", os.path.abspath(os.path.join("tests", "simulator", "demo_campaigns.json"))) as env:
        # The playbook takes its connection from the ISALES_* variables; the interpreter is pinned
        # (discovery could pick a broken pyenv shim).
        env["ANSIBLE_COLLECTIONS_PATH"] = collections
        playbook = ["ansible-playbook", "-i", "localhost,", "-e",
                    "ansible_python_interpreter=%s" % os.path.join(session.bin, "python")]
        log_hint = "simulator log: %s" % env["ISALES_SIM_LOG"]
        # The converge example as a job template runs it: its recap, not an assert in it, tells it changed nothing.
        unchanged = ["python", "hacking/checks/play_recap.py", "--max-changed", "0", "--", *playbook]
        ns.run_steps(session, {
            "demo playbook": ([*playbook, *session.posargs, "docs/examples/demo.yml"], log_hint),
            "converge preview (check mode)": ([*playbook, "--check", "--diff", "docs/examples/converge.yml"], log_hint),
            "converge playbook": ([*playbook, "--diff", "docs/examples/converge.yml"], log_hint),
            "converge again: changed=0": ([*unchanged, "docs/examples/converge.yml"], log_hint),
            "converge in check mode: changed=0": ([*unchanged, "--check", "--diff", "docs/examples/converge.yml"],
                                                  log_hint),
            "no write that changed nothing": (["python", "hacking/checks/sim_writes.py"], None),
        }, env=env, stop_on_failure=True)
    session.log("demo OK")


# ----------------------------------------------------------- ecosystem gates

@nox.session(python=MAIN_PYTHON)
def lint(session):
    """ansible-lint (production profile, .ansible-lint) and ansible-doc of every module, text and JSON."""
    install(session, "-r", "hacking/requirements/lint.txt")
    with ns.collection_tree(session) as tree, session.chdir(tree):
        env = {"ANSIBLE_COLLECTIONS_PATH": ns.collections_root(tree)}
        for path in ("docs/examples", "docs/awx", "tests/integration/targets"):  # a rename must not drop them
            if not os.path.isdir(path):
                session.error("%s does not exist: update .ansible-lint and this session" % path)
        session.run("ansible-lint", "--version")
        ns.run_steps(session, {
            "ansible-lint": (["ansible-lint", "--nocolor", "--strict"], None),
            "ansible-doc": (["python", os.path.join(ns.HACKING, "checks", "ansible_doc.py"), tree], None),
        }, env=env)


@nox.session(python=MAIN_PYTHON)
def docs(session):
    """antsibull-docs lint-collection-docs, then the docs site built offline with Sphinx -W, and its pages."""
    install(session, "-r", "hacking/requirements/docs.txt")
    site = os.path.join(ns.tmp_dir(session), "docsite")
    with ns.collection_tree(session) as tree, session.chdir(tree):
        env = {"ANSIBLE_COLLECTIONS_PATH": ns.collections_root(tree)}
        session.run("antsibull-docs", "lint-collection-docs", "--plugin-docs", ".", env=env)
        session.run("python", os.path.join(ns.HACKING, "checks", "docsite.py"), tree, site, env=env)


@nox.session(python=MAIN_PYTHON)
def changelog(session):
    """antsibull-changelog lint, CHANGELOG.rst as generated, the modules each release lists."""
    install(session, "-r", "hacking/requirements/changelog.txt")
    session.run("antsibull-changelog", "lint", "-v")
    session.run("antsibull-changelog", "lint-changelog-yaml", "changelogs/changelog.yaml")
    session.run("python", "hacking/checks/changelog.py", ".")


@nox.session(name="build-import", python=MAIN_PYTHON)
def build_import(session):
    """ansible-galaxy collection build, the artifact's contents, galaxy-importer with no warning."""
    install(session, "-r", "hacking/requirements/galaxy-importer.txt")
    session.run("python", "hacking/checks/build_import.py", ns.ROOT, os.path.join(ns.tmp_dir(session), "dist"))


@nox.session(python=MAIN_PYTHON)
def ee(session):
    """Execution environment: bindep, ansible-builder introspect, ansible-builder create (twice)."""
    install(session, "-r", "hacking/requirements/builder.txt")
    with ns.collection_tree(session) as tree:
        session.run("python", "hacking/checks/execution_environment.py", tree, os.path.join(ns.tmp_dir(session), "ee"))
