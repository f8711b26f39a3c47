# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the resilience tests: simulators this run starts and stops, and ansible-playbook runs.

These tests run the collection's modules through ansible-playbook against real
simulators over HTTPS. They need the collection on ANSIBLE_COLLECTIONS_PATH
(the nox session resilience sets it to its collection tree) and trustme.
"""

from __future__ import absolute_import, division, print_function

import json
import os
import re
import subprocess
import sys
import tempfile
import time

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import simctl  # noqa: E402  pylint: disable=wrong-import-position

HERE = os.path.dirname(os.path.abspath(__file__))
PLAYBOOKS = os.path.join(HERE, "playbooks")


class PlaybookRun(object):
    def __init__(self, command, returncode, stdout, stderr):
        self.command = command
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr

    @property
    def output(self):
        return self.stdout + self.stderr

    def recap(self):
        """{host: {ok: N, changed: N, failed: N, ...}} from the PLAY RECAP."""
        hosts = {}
        lines = self.stdout.split("PLAY RECAP", 1)[-1].splitlines()
        for line in lines:
            if " : " not in line:
                continue
            host, counters = line.split(" : ", 1)
            hosts[host.strip()] = dict((key, int(value)) for key, value in
                                       (item.split("=") for item in counters.split()))
        return hosts


def run_playbook(playbook, inventory="localhost,", args=(), env=None, timeout=300):
    """ansible-playbook PLAYBOOK; a PlaybookRun with its whole output."""
    command = ["ansible-playbook", "-i", inventory, os.path.join(PLAYBOOKS, playbook)] + list(args)
    process = subprocess.run(command, env=simctl.ansible_env(env), cwd=PLAYBOOKS, timeout=timeout,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    return PlaybookRun(command, process.returncode, process.stdout.decode("utf-8", "replace"),
                       process.stderr.decode("utf-8", "replace"))


def start_playbook(playbook, inventory="localhost,", args=(), env=None):
    """ansible-playbook PLAYBOOK started in the background; finish_playbook() waits for it.

    Its output goes to temporary files, not pipes, so that runs started together never block
    each other on a full pipe.
    """
    command = ["ansible-playbook", "-i", inventory, os.path.join(PLAYBOOKS, playbook)] + list(args)
    stdout, stderr = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    process = subprocess.Popen(command, env=simctl.ansible_env(env), cwd=PLAYBOOKS,  # pylint: disable=consider-using-with
                               stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr)
    return command, process, stdout, stderr


def finish_playbook(started, timeout=300):
    """The PlaybookRun of a start_playbook(); kills the run when it takes longer than timeout seconds."""
    command, process, stdout, stderr = started
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise
    texts = []
    for handle in (stdout, stderr):
        handle.seek(0)
        texts.append(handle.read().decode("utf-8", "replace"))
        handle.close()
    return PlaybookRun(command, process.returncode, texts[0], texts[1])


def run_playbooks_at_once(runs, timeout=300):
    """Start every (playbook, inventory, args, env) of runs at the same moment; their PlaybookRuns, in order."""
    started = [start_playbook(*run) for run in runs]
    deadline = time.monotonic() + timeout
    return [finish_playbook(handle, max(1, deadline - time.monotonic())) for handle in started]


# What a module that crashed (instead of calling fail_json) leaves in a result or in the output.
CRASH_WORDS = ("Traceback (most recent call last)", "MODULE FAILURE", "Module result deserialization failed")
# ansible-core 2.19 shows every failed task as "Task failed: Module failed: MSG"; without a message
# it is a bare "Module failed." - a failure that says nothing.
BARE_FAILURE = re.compile(r"Module failed\.\s*$", re.MULTILINE)


def crash_signs(result):
    """What shows that a module crashed or failed without saying why: [] for a clean success or failure.

    ansible-core 2.19 gives every failed task an "exception" that reads "(traceback unavailable)" unless
    tracebacks are switched on; anything else there, module_stderr, or a traceback anywhere is a crash.
    """
    signs = []
    text = json.dumps(result, sort_keys=True)
    if result.get("module_stderr"):
        signs.append("module_stderr: %s" % result["module_stderr"][:300])
    if result.get("exception") not in (None, "(traceback unavailable)"):
        signs.append("exception: %s" % str(result["exception"])[:300])
    for word in CRASH_WORDS:
        if word.lower() in text.lower():
            signs.append("%r in the result" % word)
    if result.get("failed") and not (result.get("msg") or "").strip():
        signs.append("a failure without a message")
    return signs


def output_crash_signs(run):
    """crash_signs() of a whole ansible-playbook output."""
    signs = ["%r in the output" % word for word in CRASH_WORDS if word.lower() in run.output.lower()]
    if BARE_FAILURE.search(run.output):
        signs.append("a failure without a message in the output")
    return signs


def requests_since(sim, seq=0):
    """The simulator's request log after record seq (0: all of it)."""
    return sim.admin("GET", "/requests?since=%d" % seq)["requests"]


def last_seq(sim):
    """The seq of the simulator's last logged request (0 when the log is empty)."""
    log = sim.admin("GET", "/requests")["requests"]
    return max([record["seq"] for record in log] or [0])


WRITE_CALLS = ("ob_result.create", "ob_result.update", "ob_result.delete")


def writes(records):
    return [record for record in records if record["call"] in WRITE_CALLS]


def results_of(sim, vdn):
    """The VDN's results on the simulator: [{defId, displayResult, resultCode, obsCodes}] in creation order."""
    return sim.admin("GET", "/results?vdn=%d" % vdn)["results"]


class Step(object):
    """One step of playbooks/steps.yml, after the run: what the module returned and the requests it sent."""

    def __init__(self, name, outcome, requests, output):
        self.name = name
        self.outcome = outcome
        self.requests = requests
        self.output = output

    @property
    def writes(self):
        return writes(self.requests)

    def calls(self, call):
        return [record for record in self.requests if record["call"] == call]


def run_steps(sim, steps, dump_dir, extra_env=None, timeout=300):
    """Run steps (see playbooks/steps.yml) in one ansible-playbook run against sim: (the run, {name: Step}).

    A Step's requests are the ones sim logged while its module ran; its output is the part of the
    run's output that its module task printed.
    """
    dump_dir.mkdir(parents=True, exist_ok=True)
    names = [step["name"] for step in steps]
    assert len(set(names)) == len(names), "step names must be unique"
    extra = {"sim_admin": sim.admin_url, "sim_ca": sim.ca_path, "steps": steps, "dump_dir": str(dump_dir)}
    env = dict(sim.env(), **(extra_env or {}))
    run = run_playbook("steps.yml", args=["-e", json.dumps(extra)], env=env, timeout=timeout)
    log = requests_since(sim)
    sections = task_sections(run.stdout)
    found = {}
    for index, name in enumerate(names):
        path = dump_dir / ("step-%03d.json" % index)
        if not path.exists():
            continue
        with open(str(path), encoding="utf-8") as handle:
            dump = json.load(handle)
        before, after = int(dump["before"]), int(dump["seq"])
        output = "".join(text for title, text in sections if title == "STEP %s" % name and "skipping:" not in text)
        found[name] = Step(name, dump["outcome"], [r for r in log if before < r["seq"] <= after], output)
    return run, found


def task_sections(stdout):
    """[(task title, the output under it)] of an ansible-playbook output."""
    sections = []
    for chunk in re.split(r"^TASK \[", stdout, flags=re.MULTILINE)[1:]:
        title, _sep, rest = chunk.partition("]")
        sections.append((title, rest))
    return sections


@pytest.fixture(scope="module")
def secret():
    return simctl.new_secret()


@pytest.fixture(scope="module")
def sim(tmp_path_factory, secret):
    """A simulator of the usual kind (certificate signed by the CA in its ca.pem)."""
    with simctl.Simulator(str(tmp_path_factory.mktemp("sim")), secret) as server:
        yield server


@pytest.fixture(scope="module")
def self_signed_sim(tmp_path_factory, secret):
    """A simulator whose certificate is NOT signed by the CA in its ca.pem."""
    with simctl.Simulator(str(tmp_path_factory.mktemp("sim-self-signed")), secret, args=["--self-signed"]) as server:
        yield server


@pytest.fixture
def fresh(sim):
    """The simulator, reset: no results, no faults, empty log."""
    sim.admin("POST", "/reset")
    return sim
