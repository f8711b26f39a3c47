# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A run stopped by SIGINT or SIGTERM ends honestly.

isales_ob_results runs as a process of its own (the way ansible-core starts a module: its arguments
in a JSON file named on the command line), deleting every result of a VDN of 300, 8 writes at a
time, against a simulator that takes 30 ms per request. Once some deletes went through, the test
sends the module's process a signal and checks that:

* the process ends within a few seconds with a JSON failure (no traceback) that says which signal
  stopped it;
* the server received at most write_workers deletes after the signal (the ones in flight), and
  nothing else;
* the result's `deleted` and the `writes` it reports done are exactly the deletes the server
  performed, and `changed` is true;
* every delete the server performed is in the module's log (syslog: /dev/log, which the test binds
  for its duration, or, when a syslog daemon holds it, a socket of the test bound over it in a
  mount namespace of the module's own), logged as it happened: before the process ended, and the
  ones the server had done when the signal was sent (but those whose answer was on its way) before
  the signal;
* a re-run deletes the rest, and one more run changes nothing.

A second signal ends the process at once, even with requests in flight, with a one-line JSON
failure that says so.

The same for a rollout: isales_retry_policies adding a code to the no-retry list of 150 campaigns
(all_campaigns, 8 workers, 30 ms per request), signalled once 40 sets went through. It ends within a few
seconds, failing with error_kind cancelled; no request arrived after the signal but the in-flight ones
(at most max_workers), and the signal met some; its campaigns and counts agree with each other and with the
server: the campaigns reported changed are exactly the ones written (once each, holding the change), every
other one received no set and is as it was, and the writes it reports done are the server's. A re-run
writes exactly the rest, once each, and one more run writes nothing. A second signal ends a rollout at once too.
"""

from __future__ import absolute_import, division, print_function

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

import pytest

import simctl
from conftest import last_seq, requests_since, results_of

MODULE = "isales_ob_results"
FQCN = "huawei.isales." + MODULE
RESULTS = 300
WORKERS = 8
LATENCY_MS = 30
# Deletes the server must have performed before the signal is sent.
DELETES_BEFORE_SIGNAL = 40
DEV_LOG = "/dev/log"
DELETE_PATH = re.compile(r"/campaigns/(\d+)/([^/]+)/deleteObsResult$")
NO_TRACEBACK = "Traceback (most recent call last)"


def collections_root():
    """The directory that holds ansible_collections/huawei/isales: the module's PYTHONPATH."""
    for path in os.environ.get("ANSIBLE_COLLECTIONS_PATH", "").split(os.pathsep):
        if path and os.path.isdir(os.path.join(path, "ansible_collections", "huawei", "isales")):
            return os.path.abspath(path)
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(here)))))
    if os.path.isdir(os.path.join(root, "ansible_collections", "huawei", "isales")):
        return root
    pytest.fail("the collection is not on ANSIBLE_COLLECTIONS_PATH (a directory holding ansible_collections/)")
    return None


# ------------------------------------------------------------------ the module's log

# The kernel's time of a datagram's arrival (struct timeval in the ancillary data), Linux's number.
SO_TIMESTAMP = getattr(socket, "SO_TIMESTAMP", 29)
TIMEVAL = struct.Struct("@ll")


class SyslogCatcher(object):
    """An AF_UNIX datagram socket bound at path, where syslog(3) sends its lines; a thread reads them
    (a full queue would make the module's syslog() calls wait). Each line comes with the time the
    kernel queued it, that is when it was sent (the time it was read when the kernel gives none)."""

    def __init__(self, path):
        self.path = path
        self.lines = []  # (time received, text)
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * 1024 * 1024)
        self._sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMP, 1)
        self._sock.bind(path)
        os.chmod(path, 0o666)
        self._inode = os.stat(path).st_ino
        self._sock.settimeout(0.05)
        self._thread = threading.Thread(target=self._read, name="syslog-catcher")
        self._thread.daemon = True
        self._thread.start()

    def _read(self):
        while not self._done.is_set():
            try:
                data, ancillary, _flags, _address = self._sock.recvmsg(65536, socket.CMSG_SPACE(TIMEVAL.size))
            except socket.timeout:
                continue
            except OSError:
                return
            sent = time.time()
            for level, kind, value in ancillary:
                if level == socket.SOL_SOCKET and kind == SO_TIMESTAMP and len(value) >= TIMEVAL.size:
                    seconds, micros = TIMEVAL.unpack(value[:TIMEVAL.size])
                    sent = seconds + micros / 1e6
            with self._lock:
                self.lines.append((sent, data.decode("utf-8", "replace")))

    def since(self, index):
        with self._lock:
            return list(self.lines[index:])

    def mark(self):
        with self._lock:
            return len(self.lines)

    def close(self):
        self._done.set()
        self._thread.join(5)
        self._sock.close()
        try:
            if os.stat(self.path).st_ino == self._inode:
                os.unlink(self.path)
        except OSError:
            pass


@contextlib.contextmanager
def module_log():
    """(catcher, wrap, reason): a SyslogCatcher receiving the module's syslog lines and wrap(command),
    the command run so that its /dev/log is the catcher's; (None, identity, why not) when neither can be."""
    if not os.path.lexists(DEV_LOG):
        try:
            catcher = SyslogCatcher(DEV_LOG)
        except OSError as exc:
            yield None, list, "cannot bind %s: %s" % (DEV_LOG, exc)
            return
        try:
            yield catcher, list, None
        finally:
            catcher.close()
        return
    # A syslog daemon holds /dev/log: bind the catcher elsewhere, and over /dev/log in a mount namespace
    # of the module's own (unshare execs, so the process started is the module's: signals reach it).
    unshare = shutil.which("unshare")
    if unshare is None:
        yield None, list, "%s belongs to a syslog daemon, and unshare(1) is not installed" % DEV_LOG
        return
    top = tempfile.mkdtemp(prefix="isales-log-")
    try:
        catcher = SyslogCatcher(os.path.join(top, "log"))
        try:
            prefix = [unshare, "--mount", "--propagation", "private", "sh", "-c",
                      'mount --bind "$0" /dev/log && exec "$@"', catcher.path]
            probe = subprocess.run(prefix + ["true"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, timeout=10, check=False)
            if probe.returncode != 0:
                yield None, list, ("%s belongs to a syslog daemon, and no socket can be bound over it in a mount "
                                   "namespace: %s" % (DEV_LOG, probe.stdout.decode("utf-8", "replace").strip()))
            else:
                yield catcher, (lambda command: prefix + list(command)), None
        finally:
            catcher.close()
    finally:
        shutil.rmtree(top, ignore_errors=True)


# ------------------------------------------------------------------ the module as a process

class ModuleRun(object):
    """The module started as a process (ansible-core's way: python MODULE ARGS_FILE), output to files."""

    def __init__(self, sim, params, tmp_path, name, wrap=list, module=MODULE):
        args_file = tmp_path / ("%s-args.json" % name)
        # _ansible_module_name as ansible-core passes it for a task that names the module by its FQCN:
        # the module logs as ansible-<that name>.
        args_file.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": dict(params, _ansible_module_name="huawei.isales."
                                                                     + module)}), encoding="utf-8")
        env = simctl.ansible_env(dict(sim.env(), PYTHONPATH=collections_root(), PYTHONDONTWRITEBYTECODE="1"))
        command = [sys.executable, "-m", "ansible_collections.huawei.isales.plugins.modules.%s" % module,
                   str(args_file)]
        self._out = open(str(tmp_path / ("%s.out" % name)), "w+b")  # pylint: disable=consider-using-with
        self._err = open(str(tmp_path / ("%s.err" % name)), "w+b")  # pylint: disable=consider-using-with
        self.process = subprocess.Popen(wrap(command), env=env, stdin=subprocess.DEVNULL,  # pylint: disable=consider-using-with
                                        stdout=self._out, stderr=self._err)
        self.started = time.monotonic()
        self.ended = None
        self.stdout = self.stderr = None

    def running(self):
        return self.process.poll() is None

    def wait(self, timeout):
        """True when the process ended within timeout seconds (its output is then read)."""
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return False
        self.ended = time.time()
        self._read()
        return True

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self._read()

    def _read(self):
        if self.stdout is not None:
            return
        texts = []
        for handle in (self._out, self._err):
            handle.seek(0)
            texts.append(handle.read().decode("utf-8", "replace"))
            handle.close()
        self.stdout, self.stderr = texts

    def result(self):
        """The module's JSON result: the one JSON object on its stdout."""
        assert NO_TRACEBACK not in self.stdout + self.stderr, self.stdout + self.stderr
        lines = [line for line in self.stdout.splitlines() if line.strip()]
        assert len(lines) == 1, "not one line of JSON on stdout: %r (stderr %r)" % (self.stdout, self.stderr)
        return json.loads(lines[0])


def run_module(sim, params, tmp_path, name, timeout=60, module=MODULE):
    """The module's result, run to its end."""
    run = ModuleRun(sim, params, tmp_path, name, module=module)
    if not run.wait(timeout):
        run.kill()
        pytest.fail("%s did not end within %ss" % (name, timeout))
    return run.result()


def delete_all(vdn):
    return dict(vdn_id=vdn, state="deleted", delete_all=True, write_workers=WORKERS, max_workers=WORKERS)


def seed(sim, vdn, count):
    items = [{"displayResult": "Stop test %03d" % index, "obsCodes": ["00602"]} for index in range(count)]
    return sim.admin("POST", "/results", {"vdnId": vdn, "results": items})["defIds"]


def deletes(records, vdn):
    """The DELETE requests of the log on the VDN (by HTTP method: robust to the names of the calls)."""
    found = []
    for record in records:
        match = DELETE_PATH.search(record["path"].split("?")[0])
        if record["method"] == "DELETE" and match and match.group(1) == str(vdn):
            found.append(record)
    return found


def def_id_of(record):
    return DELETE_PATH.search(record["path"].split("?")[0]).group(2)


def performed(record):
    return record["performed"] and record["returnCode"] == "0200000"


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    pytest.fail("timed out after %ss waiting for %s" % (timeout, what))
    return None


# ------------------------------------------------------------------ tests

@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_stopped_bulk_delete_reports_what_it_did(fresh, tmp_path, signum):
    name = signal.Signals(signum).name
    vdn = 7101 if signum == signal.SIGINT else 7102
    seeded = seed(fresh, vdn, RESULTS)
    fresh.admin("POST", "/config", {"latency_ms": LATENCY_MS})
    with module_log() as (catcher, wrap, no_log_reason):
        mark = catcher.mark() if catcher else 0
        run = ModuleRun(fresh, delete_all(vdn), tmp_path, "stopped", wrap=wrap)
        try:
            wait_for(lambda: not run.running() or len(deletes(requests_since(fresh), vdn)) >= DELETES_BEFORE_SIGNAL,
                     30, "%d deletes" % DELETES_BEFORE_SIGNAL)
            done_before = sum(1 for record in deletes(requests_since(fresh), vdn) if performed(record))
            assert run.running(), "the module ended before the signal: %s %s" % (run.process.returncode,
                                                                                 run.stdout or "")
            signalled = time.time()
            run.process.send_signal(signum)
            assert run.wait(5), "the module did not end within 5 s of %s" % name
        finally:
            run.kill()
        lines = catcher.since(mark) if catcher else []

    result = run.result()
    log = requests_since(fresh)
    sent = deletes(log, vdn)
    done = sorted(def_id_of(record) for record in sent if performed(record))

    # A failure that says why, without a traceback.
    assert run.process.returncode == 1, (run.process.returncode, run.stdout, run.stderr)
    assert result.get("failed") is True, result
    assert result["msg"].startswith("stopped by %s before the task finished; no request was started after it."
                                    % name), result["msg"]
    assert result.get("error_kind") == "cancelled", result

    # Nothing started after the signal but what was in flight (the server logs when a request arrived).
    after = [record for record in log if record["time"] > signalled]
    assert len(after) <= WORKERS, ["%s %s" % (r["method"], r["path"]) for r in after]
    assert all(record["method"] == "DELETE" for record in after), after
    assert len(done) >= DELETES_BEFORE_SIGNAL and len(done) < RESULTS, len(done)

    # What it reports done is exactly what the server did.
    assert sorted(entry["defId"] for entry in result["deleted"]) == done
    assert sorted(DELETE_PATH.search(write["call"]).group(2) for write in result["writes"]
                  if write["outcome"] == "done") == done
    assert all(write["outcome"] in ("done", "not sent") for write in result["writes"]), result["writes"]
    assert result["changed"] is True
    assert result["created"] == [] and result["updated"] == [] and result["duplicates_removed"] == []
    assert not result.get("outcome_unknown"), result["outcome_unknown"]
    assert sorted(r["defId"] for r in results_of(fresh, vdn)) == sorted(set(seeded) - set(done))

    # The module's log holds every delete done, each logged as it happened: before the process ended, and
    # those the server had done when the signal was sent (but the ones whose answer was on its way) before it.
    if catcher is not None:
        logged = {}
        for sent_at, text in lines:
            found = re.search(r"ansible-%s(?:\[\d+\])?: huawei\.isales write: done DELETE (\S+): returnCode 0200000"
                              % re.escape(FQCN), text)
            if found and DELETE_PATH.search(found.group(1)):
                assert sent_at <= run.ended, text
                logged[DELETE_PATH.search(found.group(1)).group(2)] = sent_at
        assert sorted(logged) == done, "deletes done but not logged: %s" % sorted(set(done) - set(logged))
        assert sum(1 for sent_at in logged.values() if sent_at < signalled) >= done_before - WORKERS, \
            (done_before, sorted(logged.values()), signalled)
        assert any("%s received" % name in text for _received, text in lines), lines[-5:]

    # A re-run deletes the rest; one more changes nothing.
    fresh.admin("POST", "/config", {"latency_ms": 0})
    seq = max(record["seq"] for record in log)
    again = run_module(fresh, delete_all(vdn), tmp_path, "rerun")
    assert again.get("failed") is not True, again
    assert again["changed"] is True
    assert sorted(entry["defId"] for entry in again["deleted"]) == sorted(set(seeded) - set(done))
    assert results_of(fresh, vdn) == []
    seq = max(record["seq"] for record in requests_since(fresh, seq))
    third = run_module(fresh, delete_all(vdn), tmp_path, "third")
    assert third.get("failed") is not True and third["changed"] is False, third
    assert deletes(requests_since(fresh, seq), vdn) == []

    if catcher is None:
        pytest.skip("the module's log was not checked: %s" % no_log_reason)


def signalled_twice(sim, run, wrote, what):
    """Once wrote() (the module's first write), every request takes 2 s; SIGINT, then SIGTERM 0.3 s later:
    the first lets the requests in flight finish, the second ends the module within 1 s, failing as cancelled
    and saying so. The module's result."""
    try:
        wait_for(lambda: not run.running() or wrote(), 30, what)
        assert run.running(), "the module ended too early: %s" % run.stdout
        # From now on every request takes 2 s: the next writes are in flight when the signals come.
        sim.admin("POST", "/config", {"latency_ms": 2000})
        time.sleep(0.3)
        run.process.send_signal(signal.SIGINT)
        time.sleep(0.3)
        assert run.running(), "the first signal must let the requests in flight finish: %s" % run.stdout
        second = time.monotonic()
        run.process.send_signal(signal.SIGTERM)
        assert run.wait(1.5), "the module did not end at once on a second signal"
        took = time.monotonic() - second
    finally:
        run.kill()
        sim.admin("POST", "/config", {"latency_ms": 0})
    assert took < 1.0, took
    assert run.process.returncode == 1, (run.process.returncode, run.stdout, run.stderr)
    result = run.result()
    assert result["failed"] is True and result["error_kind"] == "cancelled", result
    assert "second signal" in result["msg"] and "SIGTERM" in result["msg"], result["msg"]
    return result


def test_a_second_signal_ends_the_module_at_once(fresh, tmp_path):
    vdn = 7103
    seed(fresh, vdn, 100)
    fresh.admin("POST", "/config", {"latency_ms": LATENCY_MS})
    run = ModuleRun(fresh, delete_all(vdn), tmp_path, "twice")
    result = signalled_twice(fresh, run, lambda: deletes(requests_since(fresh), vdn), "a delete")
    assert any(write["outcome"] == "unknown" for write in result["writes"]), result["writes"]


# ------------------------------------------------------------------ a stopped rollout (isales_retry_policies)

ROLLOUT = "isales_retry_policies"
CAMPAIGNS = 150
# Sets the server must have performed before the signal is sent.
SETS_BEFORE_SIGNAL = 40
# Every campaign's policy as seeded: a global policy whose no-retry list names NR1; the rollout adds NR2.
SEEDED_POLICY = {"type": 0, "retryDay": 2, "retryTimes": 3, "vendorExtra": 1, "noRetryPolicy": ["NR1"]}
ADDED = "NR2"


def seed_campaigns(sim, vdn, count):
    """count campaigns with SEEDED_POLICY, and the two external results whose codes the policies name;
    {campaignId: the policy data as seeded}."""
    sim.admin("POST", "/results", {"vdnId": vdn, "results": [
        {"resultCode": code, "displayResult": "Stop test: no retry %s" % code, "obsCodes": ["00601"]}
        for code in ("NR1", ADDED)]})
    campaigns = [{"campaignId": "S%03d" % number, "name": "Stop test %03d" % number, "status": 2,
                  "retryPolicy": {"retryPolicyId": str(number + 1), "policyType": 0,
                                  "policyJson": json.dumps(SEEDED_POLICY, separators=(",", ":"))}}
                 for number in range(count)]
    sim.admin("POST", "/campaigns", {"vdnId": vdn, "campaigns": campaigns})
    return dict((item["campaignId"], item["retryPolicy"]) for item in campaigns)


def rollout(vdn):
    return dict(vdn_id=vdn, all_campaigns=True, no_retry_result_codes=[ADDED], max_workers=WORKERS)


def policy_states(sim, vdn, seeded):
    """{campaignId: "as before", "as asked" (ADDED added, every other key as seeded) or what it is}."""
    states = {}
    for item in sim.admin("GET", "/campaigns?vdn=%d" % vdn)["campaigns"]:
        data = item.get("retryPolicy") or {}
        if data == seeded[item["campaignId"]]:
            states[item["campaignId"]] = "as before"
            continue
        doc = json.loads(data.get("policyJson") or "null")
        asked = dict(SEEDED_POLICY, noRetryPolicy=["NR1", ADDED])
        if isinstance(doc, dict) and dict(doc, noRetryPolicy=sorted(doc.get("noRetryPolicy") or [])) == asked:
            states[item["campaignId"]] = "as asked"
        else:
            states[item["campaignId"]] = "unexpected: %r" % (data,)
    return states


def policy_sets(records, vdn):
    """The retry-policy writes of the log on the VDN: [(campaignId, record)]."""
    prefix = "/rest/isales/v1/openapi/campaigns/%d/retryPolicy/" % vdn
    return [(record["path"].split("?")[0][len(prefix):], record) for record in records
            if record["call"] == "retry_policy.set" and record["path"].startswith(prefix)]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_stopped_rollout_reports_what_it_did(fresh, tmp_path, signum):
    """isales_retry_policies over 150 campaigns, 8 at a time, each request 30 ms, stopped once 40 sets were
    performed: it ends within seconds, starts at most max_workers requests after the signal, reports exactly
    the campaigns the server saw written, and a re-run writes the rest, once each."""
    name = signal.Signals(signum).name
    vdn = 7111 if signum == signal.SIGINT else 7112
    seeded = seed_campaigns(fresh, vdn, CAMPAIGNS)
    fresh.admin("POST", "/config", {"latency_ms": LATENCY_MS})
    run = ModuleRun(fresh, rollout(vdn), tmp_path, "rollout-stopped", module=ROLLOUT)
    try:
        wait_for(lambda: not run.running() or len([r for _c, r in policy_sets(requests_since(fresh), vdn)
                                                   if performed(r)]) >= SETS_BEFORE_SIGNAL,
                 30, "%d sets" % SETS_BEFORE_SIGNAL)
        assert run.running(), "the rollout ended before the signal: %s %s" % (run.process.returncode,
                                                                              run.stdout or "")
        signalled = time.time()
        run.process.send_signal(signum)
        assert run.wait(5), "the rollout did not end within 5 s of %s" % name
    finally:
        run.kill()
        fresh.admin("POST", "/config", {"latency_ms": 0})

    result = run.result()
    log = requests_since(fresh)
    sets = policy_sets(log, vdn)
    states = policy_states(fresh, vdn, seeded)

    # A failure that says why, without a traceback.
    assert run.process.returncode == 1, (run.process.returncode, run.stdout, run.stderr)
    assert result.get("failed") is True, result
    assert result["msg"].startswith("stopped by %s before the task finished; no request was started after it."
                                    % name), result["msg"]
    assert result.get("error_kind") == "cancelled", result

    # Nothing started after the signal but what was in flight (the server logs when a request arrived, and
    # how long it took); the signal did meet requests in flight, and they ended.
    after = [record for record in log if record["time"] > signalled]
    assert len(after) <= WORKERS, ["%s %s" % (r["method"], r["path"]) for r in after]
    in_flight = [record for record in log if record["time"] <= signalled < record["time"] + record["duration_ms"] / 1e3]
    assert in_flight, "no request was in flight when the signal came: the test proves nothing about them"

    # Every campaign is reported, in the list's order; counts add up the outcomes.
    reported = result["campaigns"]
    assert [item["campaign_id"] for item in reported] == sorted(seeded), [item["campaign_id"] for item in reported]
    outcomes = dict((item["campaign_id"], item["outcome"]) for item in reported)
    tally = dict((outcome, 0) for outcome in ("changed", "unchanged", "skipped", "failed", "not_attempted"))
    for outcome in outcomes.values():
        tally[outcome] += 1
    assert result["counts"] == tally, (result["counts"], tally)

    # What it reports is what the server saw: a campaign reported changed was written once (no set was sent
    # twice: no fault here) and holds the change; every other one received no set and is as it was.
    written = sorted(ident for ident, record in sets if performed(record))
    assert len(set(written)) == len(written), "a campaign was written twice: %s" % written
    assert all(performed(record) for _ident, record in sets), [r for _i, r in sets if not performed(r)]
    changed = sorted(ident for ident, outcome in outcomes.items() if outcome == "changed")
    assert changed == written, (sorted(set(changed) - set(written)), sorted(set(written) - set(changed)))
    assert all(states[ident] == "as asked" for ident in written), [(i, states[i]) for i in written]
    rest = sorted(set(seeded) - set(written))
    assert all(states[ident] == "as before" for ident in rest), [(i, states[i]) for i in rest if states[i] != "as before"]
    assert tally["changed"] >= SETS_BEFORE_SIGNAL and tally["not_attempted"] > 0, tally
    assert tally["unchanged"] == 0 and tally["skipped"] == 0, tally
    # A campaign that failed says why (one whose next request the stop refused is not_attempted).
    for item in reported:
        if item["outcome"] == "failed":
            assert "stopped" in item["reason"], item
    assert result["changed"] is True
    # The writes it reports done are the sets the server performed; none was left in flight.
    assert sorted(write["call"].rsplit("/", 1)[-1] for write in result["writes"]
                  if write["outcome"] == "done") == written, result["writes"]
    assert all(write["outcome"] in ("done", "not sent") for write in result["writes"]), result["writes"]

    # A re-run writes the rest, each once; one more changes nothing.
    seq = max(record["seq"] for record in log)
    again = run_module(fresh, rollout(vdn), tmp_path, "rollout-rerun", module=ROLLOUT)
    assert again.get("failed") is not True, again
    assert again["changed"] is True and again["counts"]["changed"] == len(rest), again["counts"]
    resent = sorted(ident for ident, _record in policy_sets(requests_since(fresh, seq), vdn))
    assert resent == rest, (sorted(set(resent) - set(rest)), sorted(set(rest) - set(resent)))
    assert set(policy_states(fresh, vdn, seeded).values()) == {"as asked"}
    seq = last_seq(fresh)
    third = run_module(fresh, rollout(vdn), tmp_path, "rollout-third", module=ROLLOUT)
    assert third.get("failed") is not True and third["changed"] is False, third
    assert policy_sets(requests_since(fresh, seq), vdn) == []


def test_a_second_signal_ends_a_rollout_at_once(fresh, tmp_path):
    vdn = 7113
    seed_campaigns(fresh, vdn, 60)
    fresh.admin("POST", "/config", {"latency_ms": LATENCY_MS})
    run = ModuleRun(fresh, rollout(vdn), tmp_path, "rollout-twice", module=ROLLOUT)
    signalled_twice(fresh, run, lambda: policy_sets(requests_since(fresh), vdn), "a set")
