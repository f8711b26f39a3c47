# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only action: talk to the simulator's admin API from the controller, in-process.

Used by the fault-matrix playbook (tests/resilience/fault_matrix.py). An action
plugin instead of ansible.builtin.uri because the matrix makes a few admin calls
per row and a module run per call would triple the run time.

    isales_sim:
      admin: https://localhost:PORT/__sim   # the simulator's admin API
      ca: /path/to/its/ca.pem
      op: arrange        # reset the simulator, set its clock, seed results (and campaigns), arm the row's faults
      row: {...}         # one row of the matrix (see fault_matrix.py)

    isales_sim:
      admin: ...
      ca: ...
      op: observe        # wait for the row's faults to have fired and been logged, then
      row: {...}         # append {row, outcome, results, requests, pending, campaigns (when the row
                         # has some)} as one JSON line to out
      outcome: "{{ registered module result }}"
      out: /path/to/observations.jsonl
      phase: rerun       # optional: a second run of the row (faults cleared by the first observe), recorded
                         # with this phase; its requests are those logged after the first observation's

    isales_sim:
      admin: ...
      ca: ...
      op: faults         # arm fault rules (rules: [...]) on top of whatever is armed
      rules: [...]
      replace: false     # true: clear the armed rules first (rules: [] just clears them)

    isales_sim:
      admin: ...
      ca: ...
      op: config         # change simulator config keys (latency_ms, total_count, trim_display, ...)
      settings: {...}

    isales_sim:
      admin: ...
      ca: ...
      op: mark           # seq: the seq of the last request logged so far (0 for none)

    isales_sim:
      admin: ...
      ca: ...
      op: wait_landed    # wait until every late write (performed after its 504) has landed

    isales_sim:
      admin: ...
      ca: ...
      op: step           # one step of playbooks/steps.yml, before its module: the config keys of
      settings: {...}    # settings (if given), the fault rules (if given: they replace the armed
      rules: [...]       # ones), waiting for late writes to land (wait: true); returns seq, as mark
      wait: false

    isales_sim:
      op: dump           # write outcome as JSON to out (e.g. every registered result of a play);
      outcome: ...       # with admin and ca, outcome gets "seq" too, as mark returns it
      out: /path/to/file.json

    isales_sim:
      op: barrier        # wait until `parties` runs (or hosts) have reached this task: runs started
      dir: /path/to/dir  # together then send their first request at the same moment, however long
      name: run-1        # each took to start. name: this party's (unique) name.
      parties: 3
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import ssl
import time
import urllib.request

from ansible.plugins.action import ActionBase

# How long observe waits for slow faults (answers delayed past the client's timeout) to finish,
# and for late writes (performed after a gateway's 504) to land.
SETTLE_SECONDS = 15.0
# How long a barrier waits for the other parties.
BARRIER_SECONDS = 120.0


class Admin(object):
    """The admin API of one simulator."""

    def __init__(self, url, ca_path):
        self.url = url
        self.context = ssl.create_default_context(cafile=ca_path)

    def __call__(self, method, path, data=None):
        body = None
        if data is not None or method in ("POST", "PUT"):
            body = json.dumps(data if data is not None else {}).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=body, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, context=self.context, timeout=10) as response:
            return json.loads(response.read().decode("utf-8"))


def arrange(admin, row):
    admin("POST", "/reset")
    if row.get("clock_offset_minutes"):
        admin("POST", "/config", {"clock_offset_minutes": row["clock_offset_minutes"]})
    if row.get("seed"):
        admin("POST", "/results", {"vdnId": row["vdn_id"], "results": row["seed"]})
    if row.get("campaigns"):
        admin("POST", "/campaigns", {"vdnId": row["vdn_id"], "campaigns": row["campaigns"]})
    if row.get("rules"):
        admin("POST", "/faults", {"faults": row["rules"]})
    return {"pending": admin("GET", "/faults")["faults"]}


def _fired(requests):
    return len([record for record in requests if record.get("fault")])


def _landing(requests):
    """The late writes that are still to be performed: logged as performed, returnCode not yet known."""
    return [record for record in requests
            if record.get("fault") == "late" and record.get("performed") and record.get("returnCode") is None]


def last_seq(admin):
    return max([record["seq"] for record in admin("GET", "/requests")["requests"]] or [0])


def wait_landed(admin):
    """Wait until no late write is pending; the seconds waited."""
    started = time.monotonic()
    while _landing(admin("GET", "/requests")["requests"]):
        if time.monotonic() - started > SETTLE_SECONDS:
            raise ValueError("late writes still pending after %d s" % SETTLE_SECONDS)
        time.sleep(0.1)
    return round(time.monotonic() - started, 3)


def observe(admin, row, rerun=False):
    """The server's side of a row, once every fault that fired has been answered and logged (rerun: the
    faults were cleared by the first observation, only late writes are waited for)."""
    armed = 0 if rerun else sum(rule.get("count", 1) for rule in row.get("rules") or [])
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        pending = admin("GET", "/faults")["faults"]
        consumed = armed - sum(rule["count"] for rule in pending)
        requests = admin("GET", "/requests")["requests"]
        # A slow fault is logged when its (late) answer is sent, a late write is filled in
        # when it is performed: wait for both, so that a write that lands after the module
        # gave up is counted in this row.
        settled = _fired(requests) >= consumed and not _landing(requests)
        if settled or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    results = admin("GET", "/results?vdn=%d" % row["vdn_id"])["results"]
    seen = {"pending": pending, "requests": requests, "results": results, "settled": settled}
    if row.get("campaigns"):
        seen["campaigns"] = admin("GET", "/campaigns?vdn=%d" % row["vdn_id"])["campaigns"]
    admin("DELETE", "/faults")
    return seen


def barrier(directory, name, parties):
    """Mark this party as arrived, then wait for all of them; the seconds waited."""
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "w", encoding="utf-8"):
        pass
    started = time.monotonic()
    while len(os.listdir(directory)) < parties:
        if time.monotonic() - started > BARRIER_SECONDS:
            raise ValueError("only %d of %d parties reached the barrier in %s within %d s"
                             % (len(os.listdir(directory)), parties, directory, BARRIER_SECONDS))
        time.sleep(0.01)
    return round(time.monotonic() - started, 3)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(("admin", "ca", "op", "row", "rules", "replace", "settings", "wait", "outcome", "out",
                             "dir", "name", "parties", "phase"))

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        args = self._task.args
        op = args.get("op")
        row = args.get("row") or {}
        try:
            if op == "dump":
                outcome = args.get("outcome")
                if args.get("admin"):
                    outcome = dict(outcome, seq=last_seq(Admin(args["admin"], args["ca"])))
                with open(args["out"], "w", encoding="utf-8") as handle:
                    json.dump(outcome, handle, sort_keys=True, indent=1)
                return result
            if op == "barrier":
                result["waited"] = barrier(args["dir"], str(args["name"]), int(args["parties"]))
                return result
            admin = Admin(args["admin"], args["ca"])
            if op == "faults":
                if args.get("replace"):
                    admin("DELETE", "/faults")
                result["pending"] = admin("POST", "/faults", {"faults": args.get("rules") or []})["pending"]
            elif op == "config":
                result["config"] = admin("POST", "/config", args.get("settings") or {})
            elif op == "mark":
                result["seq"] = last_seq(admin)
            elif op == "step":
                if args.get("settings"):
                    admin("POST", "/config", args["settings"])
                if args.get("rules") is not None:
                    admin("DELETE", "/faults")
                    admin("POST", "/faults", {"faults": args["rules"]})
                if args.get("wait"):
                    result["waited"] = wait_landed(admin)
                result["seq"] = last_seq(admin)
            elif op == "wait_landed":
                result["waited"] = wait_landed(admin)
            elif op == "arrange":
                result.update(arrange(admin, row))
            elif op == "observe":
                seen = observe(admin, row, rerun=bool(args.get("phase")))
                record = dict(seen, row=row, outcome=args.get("outcome"))
                if args.get("phase"):
                    record["phase"] = args["phase"]
                with open(args["out"], "a", encoding="utf-8") as handle:
                    handle.write(json.dumps(record, sort_keys=True) + "\n")
                result["settled"] = seen["settled"]
            else:
                result.update(failed=True, msg="op must be arrange, observe, faults, config, mark, wait_landed, step, dump or barrier, got %r" % (op,))
        except (OSError, ValueError, KeyError) as exc:
            result.update(failed=True, msg="simulator admin API: %s" % exc)
        return result
