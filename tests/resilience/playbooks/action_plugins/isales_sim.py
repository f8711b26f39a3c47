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
      op: arrange        # reset the simulator, set its clock, seed results, arm the row's faults
      row: {...}         # one row of the matrix (see fault_matrix.py)

    isales_sim:
      admin: ...
      ca: ...
      op: observe        # wait for the row's faults to have fired and been logged, then
      row: {...}         # append {row, outcome, results, requests, pending} as one JSON line to out
      outcome: "{{ registered module result }}"
      out: /path/to/observations.jsonl

    isales_sim:
      admin: ...
      ca: ...
      op: faults         # arm fault rules (rules: [...]) on top of whatever is armed
      rules: [...]

    isales_sim:
      op: dump           # write outcome as JSON to out (e.g. every registered result of a play)
      outcome: ...
      out: /path/to/file.json
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import ssl
import time
import urllib.request

from ansible.plugins.action import ActionBase

# How long observe waits for slow faults (answers delayed past the client's timeout) to finish.
SETTLE_SECONDS = 15.0


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
    if row.get("rules"):
        admin("POST", "/faults", {"faults": row["rules"]})
    return {"pending": admin("GET", "/faults")["faults"]}


def _fired(requests):
    return len([record for record in requests if record.get("fault")])


def observe(admin, row):
    """The server's side of a row, once every fault that fired has been answered and logged."""
    armed = sum(rule.get("count", 1) for rule in row.get("rules") or [])
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        pending = admin("GET", "/faults")["faults"]
        consumed = armed - sum(rule["count"] for rule in pending)
        requests = admin("GET", "/requests")["requests"]
        # A slow fault is logged when its (late) answer is sent: wait for it, so that
        # a write that lands after the module gave up is counted in this row.
        if _fired(requests) >= consumed or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    results = admin("GET", "/results?vdn=%d" % row["vdn_id"])["results"]
    admin("DELETE", "/faults")
    return {"pending": pending, "requests": requests, "results": results, "settled": _fired(requests) >= consumed}


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(("admin", "ca", "op", "row", "rules", "outcome", "out"))

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        args = self._task.args
        op = args.get("op")
        row = args.get("row") or {}
        try:
            if op == "dump":
                with open(args["out"], "w", encoding="utf-8") as handle:
                    json.dump(args.get("outcome"), handle, sort_keys=True, indent=1)
                return result
            admin = Admin(args["admin"], args["ca"])
            if op == "faults":
                result["pending"] = admin("POST", "/faults", {"faults": args.get("rules") or []})["pending"]
            elif op == "arrange":
                result.update(arrange(admin, row))
            elif op == "observe":
                seen = observe(admin, row)
                record = dict(seen, row=row, outcome=args.get("outcome"))
                with open(args["out"], "a", encoding="utf-8") as handle:
                    handle.write(json.dumps(record, sort_keys=True) + "\n")
                result["settled"] = seen["settled"]
            else:
                result.update(failed=True, msg="op must be arrange, observe, faults or dump, got %r" % (op,))
        except (OSError, ValueError, KeyError) as exc:
            result.update(failed=True, msg="simulator admin API: %s" % exc)
        return result
