# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What one no-change task of each huawei.isales module costs, compiling what it imports included.

AnsiballZ sends a module and the module_utils it imports in a zip, and Python
cannot cache bytecode for a zip import: every task compiles every line its
module imports again. Run it through `python3 hacking/run.py -s benchmark-task`
(noxfile.py), which starts the simulator and exports ISALES_URL,
ISALES_ACCESS_KEY, ISALES_SECRET_KEY, ISALES_CA_PATH, ISALES_SIM_ADMIN and
ANSIBLE_COLLECTIONS_PATH.

1. Seeds one external result and one campaign whose retry policy names it on
   the simulator and runs ansible-playbook with a
   no-change (or read-only) task of every module on it, until a run changes
   nothing, keeping the AnsiballZ payloads (ANSIBLE_KEEP_REMOTE_FILES).
2. Takes the module zip out of each payload.
3. Measures, in fresh interpreters, REPEATS times (modules in turn), medians:
   * import: with the zip first on sys.path, as AnsiballZ puts it, and
     ansible.module_utils.basic and requests already imported (the same for
     every module), the import of the module itself: CPU (process_time) and
     wall (perf_counter) time;
   * lines: the collection's modules that import loaded, and their source lines
     (what every task compiles);
   * task: the kept payload run as Ansible runs it, against the simulator (it must
     report changed false): wall and CPU time of the process;
   * floor: the import of a module that only imports AnsibleModule.

Prints a Markdown table, writes every sample to --out, exits 1 when a run
failed, reported a change, or the simulator logged a write.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import ast
import base64
import glob
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from run_benchmark import Admin, ansible_version  # noqa: E402  pylint: disable=wrong-import-position

VDN = 9400
ENTRY = {"result_code": "TC1", "display_result": "Task cost: no retry", "obs_codes": ["00601", "00602"]}
CAMPAIGN = {"campaignId": "TC1", "name": "Task cost", "status": 2,
            "retryPolicy": {"retryPolicyId": "1", "policyType": 0, "policyJson": json.dumps(
                {"type": 0, "retryDay": 2, "retryTimes": 3, "noRetryPolicy": [ENTRY["result_code"]]})}}
PREFIX = "ansible_collections.huawei.isales"
MODULES = PREFIX + ".plugins.modules."
FLOOR = "task_cost_floor"
FLOOR_SOURCE = '''from ansible.module_utils.basic import AnsibleModule


def main():
    AnsibleModule(argument_spec={}).exit_json(changed=False)


if __name__ == "__main__":
    main()
'''
# The no-change (or read-only) task of each module on the seeded result and campaign.
TASKS = {
    "isales_ob_result": dict(ENTRY, vdn_id=VDN),
    "isales_ob_results": {"vdn_id": VDN, "state": "merged", "config": [ENTRY]},
    "isales_ob_result_info": {"vdn_id": VDN, "result_code": ENTRY["result_code"]},
    "isales_obs_code_info": {"vdn_id": VDN},
    "isales_server_info": {"vdn_id": VDN},
    "isales_retry_policy": {"vdn_id": VDN, "campaign_name": CAMPAIGN["name"],
                            "no_retry_result_codes": [ENTRY["result_code"]]},
    "isales_retry_policy_info": {"vdn_id": VDN},
    "isales_campaign_info": {"vdn_id": VDN},
}
# Run in a fresh interpreter: ZIP MODULE -> JSON of the import's times and the collection's modules loaded.
IMPORT_CHILD = r"""
import importlib, json, sys, time
sys.path = [sys.argv[1]] + [p for p in sys.path if p not in ("", ".")]
import ansible.module_utils.basic, requests
wall, cpu = time.perf_counter(), time.process_time()
importlib.import_module(sys.argv[2])
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
files = dict((n, getattr(m, "__file__", None)) for n, m in sys.modules.items() if n.split(".")[:3] == %r)
print(json.dumps({"wall": wall, "cpu": cpu, "files": files}))
""" % PREFIX.split(".")


def median(samples):
    return statistics.median(samples) if samples else None


# ---------------------------------------------------------------- the payloads

def keep_payloads(work, log, attempts=3):
    """Run the playbook of TASKS until a run changes nothing; {module: its kept AnsiballZ payload}."""
    playbook = os.path.join(work, "playbook.yml")
    with open(playbook, "w") as handle:  # JSON is YAML
        json.dump([{"hosts": "localhost", "connection": "local", "gather_facts": False,
                    "tasks": [{"name": name, "huawei.isales." + name: args} for name, args in TASKS.items()]}],
                  handle, indent=1)
    for attempt in range(1, attempts + 1):
        run_dir = os.path.join(work, "run-%d" % attempt)
        env = dict(os.environ, ANSIBLE_KEEP_REMOTE_FILES="1", ANSIBLE_PIPELINING="0",
                   ANSIBLE_REMOTE_TMP=os.path.join(run_dir, "remote"),
                   ANSIBLE_LOCAL_TEMP=os.path.join(run_dir, "local"),
                   ANSIBLE_STDOUT_CALLBACK="ansible.builtin.default", ANSIBLE_NOCOLOR="1",
                   ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
                   ANSIBLE_RETRY_FILES_ENABLED="false")
        command = [shutil.which("ansible-playbook") or "ansible-playbook", "-i", "localhost,",
                   "-e", "ansible_python_interpreter=%s" % sys.executable, playbook]
        out = subprocess.run(command, env=env, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             universal_newlines=True, check=False).stdout
        with open(log, "a") as handle:
            handle.write("### run %d: %s\n%s\n" % (attempt, " ".join(command), out))
        recap = re.search(r"^localhost\s*:.*\bchanged=(\d+).*\bfailed=(\d+)", out, re.M)
        if not recap or recap.group(2) != "0":
            raise RuntimeError("ansible-playbook failed (see %s):\n%s" % (log, out[-3000:]))
        if recap.group(1) == "0":
            payloads = {}
            for name in TASKS:
                found = glob.glob(os.path.join(run_dir, "remote", "**", "AnsiballZ_%s.py" % name), recursive=True)
                if len(found) != 1:
                    raise RuntimeError("expected one kept AnsiballZ_%s.py, found %r" % (name, found))
                payloads[name] = found[0]
            return payloads
    raise RuntimeError("still changing something after %d runs (see %s)" % (attempts, log))


def module_zip(payload):
    """The module zip an AnsiballZ payload carries: base64 in `ZIPDATA = ...` (ansible-core <= 2.18) or in
    the `zip_data=...` argument of the wrapper's `_ansiballz_main(...)` call (2.19 and later)."""
    with open(payload, "rb") as handle:
        tree = ast.parse(handle.read())
    for node in ast.walk(tree):
        value = None
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "ZIPDATA" for t in node.targets):
            value = node.value
        elif isinstance(node, ast.keyword) and node.arg == "zip_data":
            value = node.value
        if isinstance(value, ast.Constant) and isinstance(value.value, (str, bytes)):
            return base64.b64decode(value.value)
    raise RuntimeError("no ZIPDATA / zip_data in %s: an AnsiballZ wrapper this script does not know" % payload)


def floor_zip(model, path):
    """A module zip like MODEL (ansible-core's module_utils, the collection's package __init__ files) whose
    only collection module is FLOOR, which imports AnsibleModule and nothing else."""
    with zipfile.ZipFile(model) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dest:
        for info in src.infolist():
            if not info.filename.startswith("ansible_collections/") or info.filename.endswith("/__init__.py"):
                dest.writestr(info, src.read(info.filename))
        dest.writestr(MODULES.replace(".", "/") + FLOOR + ".py", FLOOR_SOURCE)


# ---------------------------------------------------------------- measurements

def measure_import(zip_path, name, work):
    out = subprocess.run([sys.executable, "-c", IMPORT_CHILD, zip_path, MODULES + name], cwd=work,
                         stdout=subprocess.PIPE, universal_newlines=True, check=True).stdout
    return json.loads(out)


def source_lines(zip_path, files):
    """{module: source lines} of the collection's modules that an import loaded, read from the zip."""
    lines = {}
    with zipfile.ZipFile(zip_path) as archive:
        for module, path in sorted(files.items()):
            if path and path.startswith(zip_path + os.sep):
                lines[module] = len(archive.read(path[len(zip_path) + 1:]).decode("utf-8").splitlines())
            else:  # a namespace package (no file)
                lines[module] = 0
    return lines


def measure_task(payload, work):
    """Run the kept payload as Ansible does; its result must say changed false."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, payload], cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        result = json.loads(done.stdout)
    except ValueError:
        result = {"failed": True, "msg": "no JSON result: %r %r" % (done.stdout[-500:], done.stderr[-1500:])}
    problem = None
    if done.returncode != 0 or result.get("failed"):
        problem = "failed (exit %d): %s" % (done.returncode, result.get("msg"))
    elif result.get("changed") is not False:
        problem = "changed: %r" % result.get("changed")
    return {"wall": wall, "cpu": after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime,
            "problem": problem}


def measure(zips, payloads, repeats, work):
    """REPEATS rounds; each round measures every module in turn, so that a change in the machine's load
    spreads over all of them."""
    data = {name: {"import_cpu": [], "import_wall": [], "task_cpu": [], "task_wall": [], "problems": []}
            for name in zips}
    for number in range(repeats):
        for name, zip_path in zips.items():
            item = data[name]
            sample = measure_import(zip_path, name, work)
            item["import_cpu"].append(sample["cpu"])
            item["import_wall"].append(sample["wall"])
            lines = source_lines(zip_path, sample["files"])
            if item.setdefault("lines", lines) != lines:
                item["problems"].append("round %d imported other modules: %s" % (number + 1, sorted(lines)))
            if name in payloads:
                task = measure_task(payloads[name], work)
                item["task_cpu"].append(task["cpu"])
                item["task_wall"].append(task["wall"])
                if task["problem"]:
                    item["problems"].append("round %d: %s" % (number + 1, task["problem"]))
        print("round %d of %d done" % (number + 1, repeats), file=sys.stderr, flush=True)
    for item in data.values():
        item["medians"] = dict((key, median(item[key])) for key in ("import_cpu", "import_wall", "task_cpu",
                                                                    "task_wall"))
        item["files"] = sum(1 for count in item["lines"].values() if count)
        item["total_lines"] = sum(item["lines"].values())
    return data


# ---------------------------------------------------------------- report

def ms(value):
    return "" if value is None else "%.1f" % (value * 1000)


def render(report):
    lines = [
        "Median of %d fresh interpreters each; Python %s, ansible-core %s%s. import: the module's import from "
        "its AnsiballZ zip, `ansible.module_utils.basic` and `requests` already imported; task: the kept "
        "AnsiballZ payload run against the simulator, no change (process CPU and wall time); collection "
        "files: the non-empty files of the collection that the import loaded (each compiled by every task)."
        % (report["repeats"], report["python"], report["ansible_core"],
           ", commit %s%s" % (report["commit"][:12], " (with uncommitted changes)" if report.get("dirty") else "")
           if report.get("commit") else ""),
        "",
        "| module | collection files | their lines | import CPU ms | import wall ms | task CPU ms | task wall ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, item in report["modules"].items():
        med = item["medians"]
        label = "floor (`AnsibleModule` only)" if name == FLOOR else "`%s`" % name
        lines.append("| %s | %d | %d | %s | %s | %s | %s |" % (
            label, item["files"], item["total_lines"], ms(med["import_cpu"]), ms(med["import_wall"]),
            ms(med["task_cpu"]), ms(med["task_wall"])))
    return "\n".join(lines)


def git_commit(checkout):
    """HEAD of CHECKOUT and whether plugins/ differs from it, or (None, None)."""
    try:
        head = subprocess.run(["git", "-C", checkout, "rev-parse", "HEAD"], stdout=subprocess.PIPE,
                              universal_newlines=True, check=True).stdout.strip()
        status = subprocess.run(["git", "--no-optional-locks", "-C", checkout, "status", "--porcelain", "--",
                                 "plugins"], stdout=subprocess.PIPE, universal_newlines=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None, None
    return head, bool(status.strip())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--repeats", type=int, default=30, help="fresh interpreters per figure (default 30)")
    parser.add_argument("--out", help="write every sample and median here (JSON)")
    parser.add_argument("--commit", metavar="CHECKOUT", help="record the git commit of this checkout")
    parser.add_argument("--log", help="where the ansible-playbook output goes (default: a temporary file, removed)")
    args = parser.parse_args(argv)
    for name in ("ISALES_URL", "ISALES_ACCESS_KEY", "ISALES_SECRET_KEY", "ISALES_CA_PATH", "ISALES_SIM_ADMIN"):
        if not os.environ.get(name):
            parser.error("$%s is not set: run this through `python3 hacking/run.py -s benchmark-task`" % name)
    work = tempfile.mkdtemp(prefix="isales-task-cost-")
    log = args.log or os.path.join(work, "ansible-playbook.log")
    open(log, "w").close()
    admin = Admin(os.environ["ISALES_SIM_ADMIN"], os.environ["ISALES_CA_PATH"])
    try:
        admin.clear(VDN)
        admin.call("DELETE", "/campaigns?vdn=%d" % VDN)
        admin.seed(VDN, [ENTRY])
        admin.call("POST", "/campaigns", {"vdnId": VDN, "campaigns": [CAMPAIGN]})
        print("running the playbook until it changes nothing ...", file=sys.stderr, flush=True)
        payloads = keep_payloads(work, log)
        admin.skip_to_now()
        zips = {}
        for name, payload in payloads.items():
            zips[name] = os.path.join(work, name + ".zip")
            with open(zips[name], "wb") as handle:
                handle.write(module_zip(payload))
        zips[FLOOR] = os.path.join(work, FLOOR + ".zip")
        floor_zip(zips["isales_ob_result"], zips[FLOOR])
        data = measure(zips, payloads, args.repeats, work)
        # Every read is a GET: any other request the measurements sent was a write.
        writes = ["%s %s" % (r["method"], r["path"]) for r in admin.new_requests() if r.get("method") != "GET"]
    except (RuntimeError, subprocess.CalledProcessError) as err:
        print("task_cost: %s" % err, file=sys.stderr)
        return 1
    finally:
        admin.clear(VDN)
        admin.call("DELETE", "/campaigns?vdn=%d" % VDN)
        shutil.rmtree(work, ignore_errors=True)
    report = {"repeats": args.repeats, "python": platform.python_version(), "ansible_core": ansible_version(),
              "modules": data}
    if args.commit:
        report["commit"], report["dirty"] = git_commit(args.commit)
    print(render(report))
    if args.out:
        with open(args.out, "w") as handle:
            json.dump(report, handle, indent=1)
    problems = ["%s: %s" % (name, p) for name, item in data.items() for p in item["problems"]]
    if writes:
        problems.append("the simulator logged %d write(s), e.g. %s" % (len(writes), writes[0]))
    for problem in problems:
        print("task_cost: %s" % problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
