# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fault matrix: every fault kind x call kind against the real simulator, through ansible-playbook.

For each row the simulator is reset, the row's faults are armed, isales_ob_result
runs once (one ansible-playbook run for the whole matrix: playbooks/faults.yml,
its rows shared between a few lanes that run at once, each lane with its own
simulator, because faults are global to a simulator), and the server is observed: its results on the row's VDN (counted through the
admin API) and its request log (which fault fired, which writes reached it and
which were applied). Each row's observation is reduced to one line and compared
with the line a small model of the intended behaviour predicts; the table of both
is written as Markdown. The faults on the calls of campaigns and retry policies
(POLICY_CALLS) meet isales_retry_policy instead, adding one code to the no-retry
list of a seeded campaign's policy; its observation is the VDN's campaigns and
their policies. The rollout rows run isales_retry_policies over three campaigns, the
fault on one of them (its policy read or write, or the campaign list): each campaign's
reported outcome, the task's counts, the sets each campaign received and its policy are
observed, and a task that failed is run again without faults. The delete guard rows
delete a result that has a result code (isales_ob_result, isales_ob_results), the fault
on the campaign list or a policy read of the scan that comes before the delete. Besides
the fault kinds that every call meets, a few rows
use a *late* write (a gateway's 504 now, the write performed seconds later) and a
*rewrite* of the server's answer (no returnCode, a hostile defId, a totalCount that
lies about a VDN of 60 results). Hostile answers (HOSTILE: trickled, endless, oversized,
deeply nested, absurd numbers, a bad Date, undecodable text, an echoed Authorization)
meet every call too; in every row the module's result must hold no Authorization value
and no signature.

    python tests/resilience/fault_matrix.py --out build/fault-matrix.md [--docs docs/fault-matrix.md]

It starts (and stops) its own simulators (tests/simulator/isales_simulator.py,
with a random secret key); it needs ansible-playbook on PATH, the collection on
ANSIBLE_COLLECTIONS_PATH and trustme in this Python. Exit status 1 when a row's
observation differs from its expectation (or --docs is stale), 2 when the run
itself broke.
"""

from __future__ import absolute_import, division, print_function

import argparse
import json
import os
import re
import subprocess
import sys
import time

import simctl

HERE = os.path.dirname(os.path.abspath(__file__))
PLAYBOOK = os.path.join(HERE, "playbooks", "faults.yml")

FAULTS = ("502", "503", "504", "reset_before", "reset_after", "slow", "html", "empty", "truncated", "rate_limit")
# Hostile answers (part 9): the server acts (unless the rule says act: false), then answers in a way a client
# must survive: slowly (TRICKLED: a timeout), with a body it cannot use (UNUSABLE), or harmlessly odd.
TRICKLED = ("trickle_headers", "trickle_body")
UNUSABLE = ("endless_body", "oversized_body", "deep_nesting", "huge_number", "nan", "undecodable", "surrogate")
HOSTILE = TRICKLED + UNUSABLE + ("bad_date", "echo_auth")
# Every kind, in table order: FAULTS, those of the hand-written rows only (part 8), clock_skew (no fault rule),
# references (part 12), HOSTILE.
# "references": the hand-written rows of the reference guard (part 12; no fault rule).
KINDS = FAULTS + ("late", "rewrite", "clock_skew", "references") + HOSTILE
CALLS = ("ob_result.list", "ob_result.detail", "ob_result.create", "ob_result.update", "ob_result.delete")
# The calls of isales_retry_policy's rows: it finds the campaign by name (campaign.list), reads its policy,
# writes it (the whole document), reads it back and reads it once more after a short pause.
POLICY_CALLS = ("campaign.list", "retry_policy.get", "retry_policy.set")
READS = ("ob_result.list", "ob_result.detail", "campaign.list", "retry_policy.get")
WRITES = ("ob_result.create", "ob_result.update", "ob_result.delete")
ALL_WRITES = WRITES + ("retry_policy.set",)
# Faults after which the server did not act on a write (unless the rule says act).
NOT_PERFORMED = ("502", "503", "504", "reset_before", "html", "empty", "truncated", "rate_limit")
# Transient faults: connection, timeout, 429, 5xx.
RETRYABLE = ("502", "503", "504", "reset_before", "reset_after", "slow", "rate_limit")
UNPARSABLE = ("html", "empty", "truncated")
# A read is safe to repeat: it is retried on transient faults and on answers it cannot parse.
READ_RETRYABLE = RETRYABLE + UNPARSABLE

TIMEOUT = 1          # the module's timeout option in every row
SLOW_DELAY = 2.5     # a slow answer comes this long after the request (> TIMEOUT)
RETRY_AFTER = 1      # Retry-After of a 429
SKEW_MINUTES = 20    # more than the 15 minutes the server accepts
# The module reads again at once after a create a gateway gave up on (504) or that timed out,
# then twice more TIMEOUT seconds apart: the settle window is about 2 x TIMEOUT.
LATE_AFTER = 5.0     # a late write lands this long after its 504: after the settle window
LATE_SOON = 1.5      # ... or this long: within it
OK = "0200000"
API_PREFIX = "/rest/isales/v1/openapi/campaigns"
HOSTILE_DEF_ID = "../../../../x/y"
FILLERS = 59         # results seeded around the row's own in the 60-result rows
FILLER_CODES = ["00601"]
# What the message of a create that may still land says (matched without regard to case).
UNKNOWN_WORDS = ["outcome unknown", "may still land", "run again"]

# Which play each call's fault is tested in: the call must happen in it.
SCENARIO = {"ob_result.list": "create", "ob_result.detail": "update", "ob_result.create": "create",
            "ob_result.update": "update", "ob_result.delete": "delete", "campaign.list": "policy",
            "retry_policy.get": "policy", "retry_policy.set": "policy"}
OPERATION = {"ob_result.list": "queryOBSResults", "ob_result.detail": "queryObsResultDetail",
             "ob_result.create": "createObResult", "ob_result.update": "updateObResult",
             "ob_result.delete": "deleteObsResult", "campaign.list": "GET %s/" % API_PREFIX,
             "retry_policy.get": "retryPolicy", "retry_policy.set": "retryPolicy"}
CAUSE = {"502": "HTTP 502", "503": "HTTP 503", "504": "HTTP 504", "reset_before": "connection",
         "reset_after": "connection", "slow": "timeout", "html": "unparsable answer", "empty": "unparsable answer",
         "truncated": "unparsable answer", "rate_limit": "HTTP 429", "clock_skew": "HTTP 401", "late": "HTTP 504"}
CAUSE.update((kind, "timeout") for kind in TRICKLED)
CAUSE.update((kind, "unparsable answer") for kind in UNUSABLE)
# What a message must contain to name its cause.
CAUSE_WORDS = {"HTTP 502": ["HTTP 502"], "HTTP 503": ["HTTP 503"], "HTTP 504": ["HTTP 504"],
               "HTTP 429": ["HTTP 429"], "connection": ["connection"], "timeout": ["timeout"],
               "unparsable answer": ["not a JSON object", "HTTP 200"],
               "HTTP 401": ["signature", "clock", "UTC", "HTTP 401"]}
# What the reason of a campaign that failed must contain: an unusable answer is not always an error page.
REASON_WORDS = dict(CAUSE_WORDS, **{"unparsable answer": ["cannot be used", "HTTP 200"]})
# An Authorization value of auth-v2, or a signature (64 hex digits) alone: never in a module's result.
AUTHORIZATION_RE = re.compile(r"auth-v2/|(?<![0-9A-Fa-f])[0-9a-f]{64}(?![0-9A-Fa-f])")
ORIGINAL_CODES = ["00602"]
DESIRED_CODES = ["00602", "00603"]
# The policy rows: the campaign's global policy names RP1 in its no-retry list (and a key the collection
# does not know); the task adds RP2. Both codes are external results of the row's VDN.
POLICY_SEEDED = {"type": 0, "retryDay": 2, "retryTimes": 3, "vendorExtra": 1, "noRetryPolicy": ["RP1"]}
POLICY_ADDED = "RP2"
# The rollout rows (isales_retry_policies): ROLLOUT_SELECTED campaigns named by campaign_ids, each seeded with
# POLICY_SEEDED, the task adding POLICY_ADDED to all of them; the faults hit the one in the middle (where:
# campaignId). One more campaign of the VDN is not selected: nothing may touch it.
ROLLOUT_SELECTED = 3
ROLLOUT_HIT = 1          # index of the campaign the fault rule names
# The guard rows: the row's result has this result code; the VDN's GUARD_CAMPAIGNS campaigns name RP1 (another
# result of the VDN) in their no-retry lists, and the row's code too when the row says the code is referenced.
GUARD_CODE = "RD1"
GUARD_CAMPAIGNS = 2


def rule_for(fault, call, count, act=None, status=None):
    """The simulator fault rule of a matrix fault name."""
    rule = {"call": call, "count": count}
    if status is not None:
        rule["status"] = status
    if fault in ("502", "503", "504"):
        rule.update(kind="status", status=int(fault))
    elif fault == "slow":
        rule.update(kind="slow", delay=SLOW_DELAY)
    elif fault == "rate_limit":
        rule.update(kind="rate_limit", retry_after=RETRY_AFTER)
    elif fault == "late":
        rule.update(kind="late", delay=LATE_AFTER)
    else:
        rule.update(kind=fault)
    if act is not None:
        rule["act"] = act
    return rule


def fillers(index):
    """The other results of a 60-result row: FILLERS of them, none with the row's display text."""
    return [{"displayResult": "Row %d: other result %02d" % (index, number), "obsCodes": FILLER_CODES}
            for number in range(1, FILLERS + 1)]


def make_row(index, fault, call, count=1, retries=1, act=None, rules=None, expect=None, note="", scenario=None,
             crowded=False, every=False):
    """One row. scenario: the play (create, update, delete; by default the one where call happens);
    crowded: the VDN holds FILLERS other results too, the row's own (if seeded) 55th, on page 2;
    every: the fault hits every request of its call (count "-" in the table)."""
    scenario = scenario or SCENARIO[call]
    display = "Row %d: the callee did not answer" % index
    seed = [] if scenario == "create" else [{"displayResult": display, "obsCodes": ORIGINAL_CODES}]
    if scenario == "policy":
        seed = [{"resultCode": code, "displayResult": "Row %d: no retry %s" % (index, code), "obsCodes": ["00601"]}
                for code in POLICY_SEEDED["noRetryPolicy"] + [POLICY_ADDED]]
    others = fillers(index) if crowded else []
    row = {
        "id": "%03d %s/%s" % (index, fault, call), "index": index, "fault": fault, "call": call,
        "count": count, "retries": retries, "act": act, "scenario": scenario, "note": note,
        "vdn_id": 1000 + index, "display_result": display, "timeout": TIMEOUT,
        "state": "absent" if scenario == "delete" else "present",
        "seed": others[:54] + seed + others[54:], "others": len(others), "every": every,
        "rules": rules if rules is not None else [rule_for(fault, call, count, act)],
        "module": "isales_retry_policy" if scenario == "policy" else "isales_ob_result",
    }
    if scenario == "policy":
        # Two campaigns: the row's (found by name, so that campaign.list is called) and another one,
        # which must stay as it was.
        row["campaign_name"] = "Row %d: the campaign" % index
        row["no_retry_result_codes"] = [POLICY_ADDED]
        row["campaigns"] = [
            {"campaignId": "R%d-%d" % (index, number), "name": name, "status": 2,
             "retryPolicy": {"retryPolicyId": str(number), "policyType": 0,
                             "policyJson": json.dumps(POLICY_SEEDED, separators=(",", ":"))}}
            for number, name in ((1, "Row %d: another campaign" % index), (2, row["campaign_name"]))]
    elif scenario != "delete":
        row["obs_codes"] = DESIRED_CODES
    if fault == "clock_skew":
        row["rules"] = []
        row["clock_offset_minutes"] = count
    if expect:
        row["expect"] = expect
    return row


def seeded_campaign(index, number, name, codes):
    """A campaign of a row's VDN, with a global policy like POLICY_SEEDED whose no-retry list is codes."""
    return {"campaignId": "R%d-%d" % (index, number), "name": name, "status": 2,
            "retryPolicy": {"retryPolicyId": str(number), "policyType": 0,
                            "policyJson": json.dumps(dict(POLICY_SEEDED, noRetryPolicy=codes), separators=(",", ":"))}}


def make_rollout_row(index, fault, call, count=1, workers=3, act=None, note=""):
    """A row of isales_retry_policies: adds POLICY_ADDED to the no-retry list of ROLLOUT_SELECTED campaigns
    (campaign_ids), max_workers workers; the fault rule names the middle campaign (but on campaign.list)."""
    note = "; ".join(["rollout, max_workers %d" % workers] + ([note] if note else []))
    row = make_row(index, fault, call, count=count, act=act, note=note, scenario="policy")
    row.pop("campaign_name")
    row["module"] = "isales_retry_policies"
    row["workers"] = workers
    row["campaigns"] = [seeded_campaign(index, number, "Row %d: campaign %d" % (index, number),
                                        POLICY_SEEDED["noRetryPolicy"])
                        for number in range(1, ROLLOUT_SELECTED + 1)]
    row["campaigns"].append(seeded_campaign(index, ROLLOUT_SELECTED + 1, "Row %d: not selected" % index,
                                            POLICY_SEEDED["noRetryPolicy"]))
    row["campaign_ids"] = [item["campaignId"] for item in row["campaigns"][:ROLLOUT_SELECTED]]
    if call != "campaign.list":
        for rule in row["rules"]:
            rule["where"] = {"campaignId": row["campaign_ids"][ROLLOUT_HIT]}
    return row


def make_guard_row(index, fault, call, count=1, module="isales_ob_result", referenced=False,
                   campaigns=GUARD_CAMPAIGNS, note=""):
    """A row of the reference guard: the task deletes the row's result, which has the result code GUARD_CODE
    (isales_ob_result state absent, or isales_ob_results state deleted); before the delete it reads the campaign
    list and every campaign's policy. The fault (none for the "references" rows) hits that scan: campaign.list,
    or the policy read of the last campaign. referenced: the campaigns' policies name GUARD_CODE."""
    how = "isales_ob_results state deleted" if module == "isales_ob_results" else "isales_ob_result state absent"
    note = "; ".join(["delete guard, %s" % how] + ([note] if note else []))
    row = make_row(index, fault, call, count=count, note=note, scenario="delete",
                   rules=[] if fault == "references" else None)
    row.update(module=module, scenario="guard", referenced=referenced, result_code=GUARD_CODE)
    row["seed"] = [{"resultCode": "RP1", "displayResult": "Row %d: no retry RP1" % index, "obsCodes": ["00601"]},
                   {"resultCode": GUARD_CODE, "displayResult": row["display_result"], "obsCodes": ORIGINAL_CODES}]
    codes = ["RP1", GUARD_CODE] if referenced else ["RP1"]
    row["campaigns"] = [seeded_campaign(index, number, "Row %d: campaign %d" % (index, number), codes)
                        for number in range(1, campaigns + 1)]
    if module == "isales_ob_results":
        row["config"] = [{"display_result": row["display_result"], "result_code": GUARD_CODE}]
    if call == "retry_policy.get":
        for rule in row["rules"]:
            rule["where"] = {"campaignId": row["campaigns"][-1]["campaignId"]}
    return row


BUILDERS = {"row": make_row, "rollout": make_rollout_row, "guard": make_guard_row}


def rows(full=False):
    """Every row of the matrix; full=True adds the whole cross product for parts 2 and 3."""
    specs = []
    # 1. Each fault once on each call, retries 1: within the retry budget.
    for fault in FAULTS:
        for call in CALLS:
            specs.append(dict(fault=fault, call=call))
    # 2. The fault more often than retries allows: retries exhausted. Every fault on the first
    #    read (list) and on create; update and delete go through the same code as create.
    for fault in FAULTS:
        for call in CALLS:
            if not (full or call in ("ob_result.list", "ob_result.create") or fault in ("503", "rate_limit")):
                continue
            if (call in READS and fault in READ_RETRYABLE) or (call in WRITES and fault in NOT_PERFORMED):
                specs.append(dict(fault=fault, call=call, count=2))
    # 3. The server did act on the write, but the answer was an error page or unreadable.
    for fault in ("502", "503", "504", "html", "empty", "truncated"):
        for call in WRITES:
            if full or call == "ob_result.create" or fault in ("504", "truncated"):
                specs.append(dict(fault=fault, call=call, act=True, note="the server acted"))
    # 4. The default retries (3): three faults are survived, a fourth is not.
    for call in ("ob_result.list", "ob_result.create"):
        specs.append(dict(fault="503", call=call, count=3, retries=3))
        specs.append(dict(fault="503", call=call, count=4, retries=3))
    # 5. retries 0: no second try, but an ambiguous write is still reconciled by reading.
    specs.append(dict(fault="503", call="ob_result.create", retries=0))
    specs.append(dict(fault="reset_after", call="ob_result.create", retries=0))
    specs.append(dict(fault="slow", call="ob_result.create", retries=0))
    specs.append(dict(fault="reset_before", call="ob_result.list", retries=0))
    # 6. The write happened but reading the state again fails: a clean failure, never a second create.
    specs.append(dict(fault="reset_after", call="ob_result.create", note="then detail 503 x2 (the re-read fails)",
                      rules=[rule_for("reset_after", "ob_result.create", 1), rule_for("503", "ob_result.detail", 2)],
                      expect=dict(outcome="failed", cause="HTTP 503", tries=None, state="as asked", sent=1,
                                  applied=1, fired=3, words=["may or may not have happened", "gave up after 2 tries"])))
    specs.append(dict(fault="reset_after", call="ob_result.create", note="then detail html x2 (the re-read fails)",
                      rules=[rule_for("reset_after", "ob_result.create", 1), rule_for("html", "ob_result.detail", 2)],
                      expect=dict(outcome="failed", cause="unparsable answer", tries=None, state="as asked",
                                  sent=1, applied=1, fired=3, words=["may or may not have happened",
                                                                     "gave up after 2 tries"])))
    # 7. The server's clock: more than 15 minutes off is refused (401), less is fine.
    for minutes in (SKEW_MINUTES, -SKEW_MINUTES):
        specs.append(dict(fault="clock_skew", call="ob_result.list", count=minutes,
                          note="server clock %+d min" % minutes))
    specs.append(dict(fault="clock_skew", call="ob_result.list", count=10, note="server clock +10 min (accepted)"))
    # 8. Servers that lie. A late write: the gateway answers 504 at once, the server performs the write
    #    later. A create that may still land is never sent again: the task fails saying so, and the
    #    write lands once. Updates and deletes are reconciled as after any other 504.
    specs.append(dict(fault="late", call="ob_result.create",
                      note="write lands %gs after the 504 (after the settle window)" % LATE_AFTER))
    specs.append(dict(fault="late", call="ob_result.create",
                      note="write lands %gs after the 504 (within the settle window)" % LATE_SOON,
                      rules=[dict(rule_for("late", "ob_result.create", 1), delay=LATE_SOON)],
                      expect=dict(outcome="changed", cause=None, tries=None, state="as asked", sent=1, applied=1,
                                  fired=1, words=[])))
    specs.append(dict(fault="late", call="ob_result.update", note="write lands %gs after the 504" % LATE_AFTER))
    specs.append(dict(fault="late", call="ob_result.delete", note="write lands %gs after the 504" % LATE_AFTER))
    #    Answers rewritten on their way back: a 200 without returnCode after a write is an unknown
    #    outcome, reconciled by reading; a defId that is not 1-20 digits is never put in a path.
    specs.append(dict(fault="rewrite", call="ob_result.create", note="200 without returnCode (the server acted)",
                      rules=[{"call": "ob_result.create", "kind": "rewrite", "unset": ["returnCode", "resultCode"]}]))
    specs.append(dict(fault="rewrite", call="ob_result.create", note="200 without returnCode (the server did not act)",
                      rules=[{"call": "ob_result.create", "kind": "rewrite", "act": False,
                              "unset": ["returnCode", "resultCode"]}]))
    specs.append(dict(fault="rewrite", call="ob_result.create", note="defId %s (the server acted)" % HOSTILE_DEF_ID,
                      rules=[{"call": "ob_result.create", "kind": "rewrite", "set": {"defId": HOSTILE_DEF_ID}}]))
    #    totalCount is only a hint: 60 results, the row's own on page 2, with totalCount too low or too high.
    for total in (10, 100000):
        specs.append(dict(fault="rewrite", call="ob_result.list", scenario="ob_result.update", crowded=True, every=True,
                          note="totalCount %d over 60 results, the row's on page 2" % total,
                          rules=[{"call": "ob_result.list", "kind": "rewrite", "set": {"totalCount": total},
                                  "count": 1000}]))
    # 9. Hostile answers, each once on each call: the server acts, then answers slowly (a timeout), with a body
    #    that is no usable JSON (a parse error: a read is read again, a write reconciled by reading), with a
    #    Date it cannot mean, or quoting the request's Authorization (which must never reach the result).
    for fault in HOSTILE:
        for call in CALLS:
            specs.append(dict(fault=fault, call=call))
    #    The server did not act: a create that timed out may still land (it does not: outcome unknown); an
    #    update that timed out, or a create whose answer is unusable, is read again and sent again.
    specs.append(dict(fault="trickle_headers", call="ob_result.create", act=False, note="the server did not act"))
    specs.append(dict(fault="trickle_body", call="ob_result.update", act=False, note="the server did not act"))
    specs.append(dict(fault="nan", call="ob_result.create", act=False, note="the server did not act"))
    #    An error page that quotes the Authorization, until the retries are exhausted: the message quotes the page.
    for call in ("ob_result.list", "ob_result.create"):
        specs.append(dict(fault="echo_auth", call=call, count=2, act=False, note="HTML 502 page quoting it",
                          rules=[rule_for("echo_auth", call, 2, act=False, status=502)]))
    # 10. isales_retry_policy (a task adding one code to the no-retry list of a campaign found by name): every
    #     fault kind once on each of its calls. A read is read again. A set whose answer is lost or unusable
    #     after the server acted is settled by reading: one set. A set the server did not act on is settled by
    #     reading too (after a timeout or a 504: at once and twice more, TIMEOUT apart), found missing and only
    #     then written again: two sets, never a blind re-send.
    for fault in FAULTS + HOSTILE:
        for call in POLICY_CALLS:
            specs.append(dict(fault=fault, call=call))
    for fault in ("502", "503", "504", "html", "empty", "truncated"):
        specs.append(dict(fault=fault, call="retry_policy.set", act=True, note="the server acted"))
    specs.append(dict(fault="trickle_headers", call="retry_policy.set", act=False, note="the server did not act"))
    specs.append(dict(fault="nan", call="retry_policy.set", act=False, note="the server did not act"))
    specs.append(dict(fault="late", call="retry_policy.set",
                      note="write lands %gs after the 504 (after the settle window)" % LATE_AFTER))
    # 11. isales_retry_policies (a rollout of one code over ROLLOUT_SELECTED campaigns named by campaign_ids): every
    #     fault kind once on the policy read and on the write of one campaign (the middle one), in parallel
    #     (max_workers 3): a read is read again, a write settled by reading, the rollout ends as asked. Then the
    #     fault until the retries are spent: an unusable answer fails that campaign only (the others are written),
    #     a failure that concerns every campaign (HTTP 5xx, 429, connection, timeout) stops the rollout - with one
    #     worker, the campaigns after it are not attempted; with three, the ones in flight end. Every row whose
    #     task failed runs again without faults: the re-run writes the campaigns not as asked, once each.
    for call in ("retry_policy.get", "retry_policy.set"):
        for fault in FAULTS + HOSTILE:
            specs.append(dict(builder="rollout", fault=fault, call=call))
    for fault in ("503", "html"):
        specs.append(dict(builder="rollout", fault=fault, call="campaign.list", count=2))
    for fault, workers in (("503", 1), ("503", 3), ("slow", 1), ("html", 1), ("nan", 3)):
        specs.append(dict(builder="rollout", fault=fault, call="retry_policy.get", count=2, workers=workers))
    for fault, workers in (("503", 1), ("503", 3), ("504", 1), ("html", 1)):
        specs.append(dict(builder="rollout", fault=fault, call="retry_policy.set", count=2, workers=workers))
    specs.append(dict(builder="rollout", fault="nan", call="retry_policy.set", count=2, workers=3, act=False,
                      note="the server did not act"))
    # 12. The reference guard: before deleting a result that has a result code, isales_ob_result (state absent)
    #     and isales_ob_results (state deleted) read the campaign list and each campaign's policy. A fault on
    #     those reads is retried as reads are; once the retries are spent nothing is deleted. A code a policy
    #     names is not deleted; a VDN without campaigns costs one campaign-list read.
    specs.append(dict(builder="guard", fault="references", call="campaign.list", note="no policy names the code"))
    specs.append(dict(builder="guard", fault="references", call="campaign.list", referenced=True,
                      note="the policies name the code"))
    specs.append(dict(builder="guard", fault="references", call="campaign.list", campaigns=0,
                      note="the VDN has no campaign"))
    for call in ("campaign.list", "retry_policy.get"):
        for fault, count in (("503", 1), ("slow", 1), ("503", 2), ("html", 2)):
            specs.append(dict(builder="guard", fault=fault, call=call, count=count))
    bulk = "isales_ob_results"
    specs.append(dict(builder="guard", fault="references", call="campaign.list", module=bulk, referenced=True,
                      note="the policies name the code"))
    specs.append(dict(builder="guard", fault="reset_after", call="retry_policy.get", module=bulk))
    specs.append(dict(builder="guard", fault="503", call="campaign.list", count=2, module=bulk))
    specs.append(dict(builder="guard", fault="html", call="retry_policy.get", count=2, module=bulk))
    return [BUILDERS[spec.pop("builder", "row")](index + 1, **spec) for index, spec in enumerate(specs)]


# ------------------------------------------------------------------ the model

def expected(row):
    """What should happen: dict(outcome, cause, tries, state, sent, applied, fired, words)."""
    if row.get("expect"):
        return dict(row["expect"])
    if row["module"] == "isales_retry_policies":
        return rollout_expected(row)
    if row["scenario"] == "guard":
        return guard_expected(row)
    fault, call, count, retries = row["fault"], row["call"], row["count"], row["retries"]
    done = dict(outcome="changed", cause=None, tries=None, state="as asked", sent=1, applied=1, words=[])
    if fault == "clock_skew":
        if abs(count) > 15:
            return dict(outcome="failed", cause="HTTP 401", tries=None, state="as before", sent=0, applied=0,
                        fired=0, words=[OPERATION["ob_result.list"]])
        return dict(done, fired=0)
    if fault == "rewrite":
        return rewrite_expected(row, done)
    if call in READS:
        if count <= retries:
            return dict(done, fired=count)
        return dict(outcome="failed", cause=cause_of(row), tries=retries + 1 if retries else None, state="as before",
                    sent=0, applied=0, fired=retries + 1, words=[OPERATION[call]])
    if call == "retry_policy.set":
        return policy_set_expected(row, done)
    if fault == "late":
        # The gateway gave up (504) but the write happens: LATE_AFTER seconds later, after the settle window.
        if call == "ob_result.create":
            # Never sent again: the task fails saying the create may still land; it lands once.
            return dict(outcome="failed", cause="HTTP 504", tries=None, state="as asked", sent=1, applied=1,
                        fired=1, words=[OPERATION[call]] + UNKNOWN_WORDS)
        # An update or delete is repeated when the state read again shows it not done. The late
        # update lands too (the same change); the late delete then finds nothing to delete.
        return dict(done, sent=2, applied=2 if call == "ob_result.update" else 1, fired=1)
    performed = fault in ("reset_after", "slow") or row.get("act") or (fault in HOSTILE and row.get("act") is None)
    if performed:
        return dict(done, fired=1)
    if call == "ob_result.create" and fault in ("504",) + TRICKLED:
        # A create a gateway gave up on may still land: read again (three times over 2 x TIMEOUT),
        # never sent again; here it never lands, and the task fails saying its outcome is unknown.
        return dict(outcome="failed", cause=cause_of(row), tries=None, state="as before", sent=1, applied=0, fired=1,
                    words=[OPERATION[call]] + UNKNOWN_WORDS)
    if count <= retries:
        return dict(done, sent=count + 1, fired=count)
    return dict(outcome="failed", cause=cause_of(row), tries=retries + 1, state="as before", sent=retries + 1,
                applied=0, fired=retries + 1, words=[OPERATION[call], "had not happened"])


def policy_set_expected(row, done):
    """isales_retry_policy's write: it sends the whole document, so writing it again is safe once reading
    has shown the change missing; it writes at most 3 times a task."""
    fault = row["fault"]
    if fault == "late":
        # The reads after the 504 (at once, then twice more TIMEOUT apart) show the change missing: written
        # again; the late write lands too, later, with the same document.
        return dict(done, sent=2, applied=2, fired=1)
    performed = fault in ("reset_after", "slow") or row.get("act") or (fault in HOSTILE and row.get("act") is None)
    if performed:
        # Settled by reading: the change is there, nothing is sent again.
        return dict(done, fired=1)
    # Read (after a timeout or a 504: and twice more), found missing, written again (the rows arm one fault:
    # within the 3 writes).
    return dict(done, sent=row["count"] + 1, fired=row["count"])


def performed_by_server(row):
    """Whether the server performs a write that meets the row's fault (and then answers with it)."""
    fault = row["fault"]
    return fault in ("reset_after", "slow") or bool(row.get("act")) or (fault in HOSTILE and row.get("act") is None)


def concerns_one_campaign(row):
    """Whether the failure the row's fault causes once the retries are spent concerns one campaign only (an
    answer that cannot be used) rather than every campaign (HTTP 5xx or 429, connection, timeout)."""
    return cause_of(row) == "unparsable answer"


def rollout_expected(row):
    """isales_retry_policies over ROLLOUT_SELECTED campaigns, the fault on the middle one's policy read or write
    (or on the campaign list): what the task reports for each campaign, what the server holds, the sets each
    campaign received, and - when the task failed - what a re-run without faults writes."""
    fault, call, count, retries = row["fault"], row["call"], row["count"], row["retries"]
    size, hit = ROLLOUT_SELECTED, ROLLOUT_HIT
    facts = dict(outcome="changed", cause=None, tries=None, campaigns=["changed"] * size,
                 states=["as asked"] * size, sent=[1] * size, applied=[1] * size, fired=count, rerun=None)
    spent = count > retries
    if call == "campaign.list":
        if spent:
            # Nothing is selected: the task fails before any campaign, reporting none.
            facts.update(outcome="failed", cause=cause_of(row), tries=retries + 1, campaigns=None,
                         states=["as before"] * size, sent=[0] * size, applied=[0] * size, fired=retries + 1)
    elif call == "retry_policy.get":
        if spent:
            facts.update(outcome="failed", tries=retries + 1, fired=retries + 1)
            facts["campaigns"][hit], facts["states"][hit], facts["sent"][hit], facts["applied"][hit] = (
                "failed", "as before", 0, 0)
            if concerns_one_campaign(row):
                facts["cause"] = "1 campaign failed"
                facts["tries"] = None
            else:
                # The rollout stops in its reads: no campaign is written, and none that was read is "unchanged"
                # (their policies lack the change): those not written are not attempted.
                facts["cause"] = cause_of(row)
                for number in range(size):
                    if number != hit:
                        facts["campaigns"][number], facts["states"][number] = "not_attempted", "as before"
                        facts["sent"][number] = facts["applied"][number] = 0
    elif call == "retry_policy.set":
        if performed_by_server(row):
            facts["fired"] = 1  # settled by reading: the change is there, nothing is sent again
        elif not spent:
            facts["sent"][hit] = count + 1  # read, found missing, written again
        else:
            facts.update(outcome="failed", tries=retries + 1, fired=retries + 1)
            facts["campaigns"][hit], facts["states"][hit], facts["sent"][hit], facts["applied"][hit] = (
                "failed", "as before", retries + 1, 0)
            if concerns_one_campaign(row):
                facts["cause"] = "1 campaign failed"
                facts["tries"] = None
            else:
                facts["cause"] = cause_of(row)
                if row["workers"] == 1:
                    # One at a time, in order: the campaigns after the one that stopped the rollout are not attempted.
                    for number in range(hit + 1, size):
                        facts["campaigns"][number], facts["states"][number] = "not_attempted", "as before"
                        facts["sent"][number] = facts["applied"][number] = 0
                # With workers for all of them, every other write was in flight: it ends, and is reported changed.
    if facts["outcome"] == "failed":
        todo = [number for number in range(size) if facts["states"][number] != "as asked"]
        facts["rerun"] = dict(outcome="changed" if todo else "unchanged",
                              sent=[1 if number in todo else 0 for number in range(size)], state="all as asked")
    facts["states"].append("as before")  # the campaign that is not selected
    facts["words"] = []
    return facts


def guard_expected(row):
    """A delete of a result with a result code, guarded by reading the campaign list and every campaign's
    policy (the scan): deleted when no policy names the code, refused when one does, and - once a scan read's
    retries are spent - not deleted at all."""
    fault, call, count, retries = row["fault"], row["call"], row["count"], row["retries"]
    campaigns = len(row["campaigns"])
    deleted = dict(outcome="changed", cause=None, tries=None, state="as asked", sent=1, applied=1, fired=0,
                   scan=(1, campaigns), words=[])
    if fault == "references":
        if row["referenced"]:
            return dict(deleted, outcome="failed", cause="refused", state="as before", sent=0, applied=0,
                        words=["refusing to delete", "Nothing was deleted", "check_references"]
                        + [item["campaignId"] for item in row["campaigns"]])
        return deleted
    on_list = call == "campaign.list"
    if count <= retries:
        return dict(deleted, fired=count, scan=(1 + count, campaigns) if on_list else (1, campaigns + count))
    # The scan failed: nothing deleted. A failed list reads no policy; a failed policy read ends the scan
    # (the other campaign's read was already under way).
    return dict(outcome="failed", cause=cause_of(row), tries=retries + 1, state="as before", sent=0, applied=0,
                fired=retries + 1, scan=(retries + 1, 0) if on_list else (1, campaigns + retries),
                words=[OPERATION[call], "check_references", "nothing was deleted"])


def cause_of(row):
    """The cause a failed row's message names: the fault's, or the status of an echo_auth error page."""
    if row["fault"] == "echo_auth":
        return "HTTP %d" % row["rules"][0]["status"]
    return CAUSE[row["fault"]]


def rewrite_expected(row, done):
    """A rewritten answer: the state the write left is read again, so every rewrite row converges."""
    rule = row["rules"][0]
    if row["call"] == "ob_result.list":
        # Pages are read until a short one, whatever totalCount says: two pages for 60 results.
        return dict(done, fired=2)
    if rule.get("act") is False:
        # A made-up success without returnCode: unknown, read again, not there, sent again.
        return dict(done, sent=2, fired=1)
    return dict(done, fired=1)


def describe(facts, row):
    """One comparable line from expected() or observed() facts."""
    if facts["outcome"] == "failed":
        head = "failed cleanly: %s" % facts["cause"]
        if facts.get("tries"):
            head += " after %s" % tries_text(facts["tries"])
    else:
        head = facts["outcome"]
    if row["module"] == "isales_retry_policies":
        return describe_rollout(head, facts)
    text = "%s; server: %s; writes sent %d, applied %d; faults fired %d" % (
        head, state_text(facts["state"], row), facts["sent"], facts["applied"], facts["fired"])
    if row["scenario"] == "guard":
        text += "; scan read %s, %s" % (plural(facts["scan"][0], "campaign list"), plural(facts["scan"][1], "policy"))
    if facts.get("waited"):
        text += "; waited %s" % facts["waited"]
    return text


def describe_rollout(head, facts):
    """The line of a rollout row: the campaigns in order (the one the fault names is the second)."""
    campaigns = ", ".join(facts["campaigns"]) if facts["campaigns"] is not None else "none reported"
    text = "%s; campaigns: %s; server: %s, unselected %s; sets sent %s, applied %s; faults fired %d" % (
        head, campaigns, ", ".join(facts["states"][:-1]), facts["states"][-1],
        "/".join(str(n) for n in facts["sent"]), "/".join(str(n) for n in facts["applied"]), facts["fired"])
    if facts.get("waited"):
        text += "; waited %s" % facts["waited"]
    if facts.get("rerun"):
        again = facts["rerun"]
        text += "; re-run: %s, sets sent %s, then %s" % (
            again["outcome"], "/".join(str(n) for n in again["sent"]), again["state"])
    return text


def plural(count, noun):
    return "%d %s" % (count, noun if count == 1 else ("policies" if noun == "policy" else noun + "s"))


def tries_text(count):
    return "1 try" if count == 1 else "%d tries" % count


def state_text(state, row):
    """How the server's state reads in the table."""
    scenario = row["scenario"]
    if scenario == "policy":
        return {"as asked": "policy as asked", "as before": "policy as before"}.get(state, state)
    if scenario == "guard":
        return {"as asked": "result deleted", "as before": "result kept"}.get(state, state)
    others = " (and %d others as before)" % row["others"] if row.get("others") else ""
    if state == "as asked":
        return ("no result" if scenario == "delete" else "1 result, as asked") + others
    if state == "as before":
        return ("no result" if scenario == "create" else "1 result, as before") + others
    return state


# ------------------------------------------------------------------ observing

def server_state(row, results):
    """'as asked', 'as before', or a description of what is wrong (duplicates, loss, others changed)."""
    want_codes = sorted(row.get("obs_codes") or [])
    display = row["display_result"]
    if row["state"] == "absent":
        asked = []
    else:
        asked = [(display, want_codes)]
    before = [(item["displayResult"], sorted(item.get("obsCodes") or [])) for item in row["seed"]
              if item["displayResult"] == display]
    have = [(item["displayResult"], sorted(item.get("obsCodes") or [])) for item in results
            if item["displayResult"] == display]
    others_before = [(item["displayResult"], sorted(item.get("obsCodes") or [])) for item in row["seed"]
                     if item["displayResult"] != display]
    others_now = [(item["displayResult"], sorted(item.get("obsCodes") or [])) for item in results
                  if item["displayResult"] != display]
    if others_now != others_before:
        return "the other results changed: %d before, %d now" % (len(others_before), len(others_now))
    if have == asked and asked != before:
        return "as asked"
    if have == before:
        return "as before" if asked != before else "as asked"
    if len(have) > max(len(asked), len(before)):
        return "%d results: DUPLICATE %r" % (len(have), have)
    return "unexpected: %r" % (have,)


def policy_state(row, campaigns):
    """'as asked', 'as before', or what is wrong with the row's campaigns and their policies."""
    seeded = dict((item["campaignId"], item["retryPolicy"]) for item in row["campaigns"])
    now = dict((item["campaignId"], item.get("retryPolicy")) for item in campaigns)
    if sorted(now) != sorted(seeded):
        return "unexpected campaigns: %s" % ", ".join(sorted(now))
    mine = [item["campaignId"] for item in row["campaigns"] if item["name"] == row["campaign_name"]][0]
    for ident, policy in seeded.items():
        if ident != mine and now[ident] != policy:
            return "the other campaign's policy changed: %s" % json.dumps(now[ident], sort_keys=True)[:200]
    data = now[mine] or {}
    if data == seeded[mine]:
        return "as before"
    try:
        doc = json.loads(data.get("policyJson") or "null")
    except ValueError:
        doc = None
    asked = dict(POLICY_SEEDED, noRetryPolicy=sorted(POLICY_SEEDED["noRetryPolicy"] + row["no_retry_result_codes"]))
    if (isinstance(doc, dict) and isinstance(doc.get("noRetryPolicy"), list) and str(data.get("policyType")) == "0"
            and dict(doc, noRetryPolicy=sorted(doc["noRetryPolicy"])) == asked):
        return "as asked"
    return "unexpected: %s" % json.dumps(data, sort_keys=True)[:200]


def hygiene(row, outcome, requests, secret):
    """The problems every row looks for: a secret or an Authorization value in the result, a request outside
    the row's VDN's API path, a traceback."""
    problems = []
    text = json.dumps(outcome, sort_keys=True)
    if secret and secret in text:
        problems.append("the secret key is in the result")
    echoed = AUTHORIZATION_RE.search(text)
    if echoed:
        problems.append("an Authorization value or a signature is in the result: %s..." % echoed.group(0)[:12])
    # No request may leave the VDN's part of the API, whatever the server answered (a defId of "../..").
    api = "%s/%d/" % (API_PREFIX, row["vdn_id"])
    outside = sorted(set(r["path"] for r in requests
                         if r["call"] == "unknown" or not (r["path"].startswith(api) or r["path"] == api[:-1])))
    if outside:
        problems.append("requests outside %s: %s" % (api, ", ".join(outside[:3])))
    # ansible-core 2.19 gives every failed task an "exception" that reads "(traceback unavailable)"
    # unless tracebacks are switched on; anything else there is a crash.
    crash = outcome.get("module_stderr") or outcome.get("exception") not in (None, "(traceback unavailable)")
    if crash or "Traceback (most recent call last)" in text:
        problems.append("traceback: %s" % (outcome.get("module_stderr") or outcome.get("exception") or text)[:300])
    return problems


def failure_cause(outcome):
    """The cause of a failed task, as the table says it, from its error_kind."""
    kind, status = outcome.get("error_kind"), outcome.get("status")
    return {"http": "HTTP %s" % status, "auth": "HTTP 401", "timeout": "timeout",
            "connection": "connection", "parse": "unparsable answer"}.get(kind, "unknown kind %r" % kind)


def observed(row, record, secret, rerun=None):
    """What happened, in the shape of expected(), plus problems (a list) found in the module's answer."""
    if row["module"] == "isales_retry_policies":
        return observed_rollout(row, record, secret, rerun)
    outcome = record["outcome"] or {}
    requests = record["requests"]
    writes = [r for r in requests if r["call"] in ALL_WRITES]
    facts = dict(
        sent=len(writes),
        applied=len([r for r in writes if r.get("performed") and r.get("returnCode") == OK]),
        fired=len([r for r in requests if r.get("fault")]),
        state=server_state(row, record["results"]) if row["scenario"] != "policy"
        else policy_state(row, record.get("campaigns") or []),
        tries=None, cause=None, words=[],
    )
    problems = hygiene(row, outcome, requests, secret)
    if row["scenario"] == "policy" and [(r["resultCode"], r["displayResult"]) for r in record["results"]] != [
            (r["resultCode"], r["displayResult"]) for r in row["seed"]]:
        problems.append("the external results changed")
    if row["scenario"] == "guard":
        facts["scan"] = (len([r for r in requests if r["call"] == "campaign.list"]),
                         len([r for r in requests if r["call"] == "retry_policy.get"]))
        problems.extend(guard_problems(row, record, writes))
    if outcome.get("failed"):
        facts["outcome"] = "failed"
        msg = outcome.get("msg") or ""
        facts["cause"] = failure_cause(outcome)
        if row["scenario"] == "guard" and outcome.get("error_kind") is None and outcome.get("referenced"):
            facts["cause"] = "refused"
            named = sorted(ref["campaign_id"] for item in outcome["referenced"] for ref in item["used_by"])
            if named != sorted(item["campaignId"] for item in row["campaigns"]):
                problems.append("referenced names the campaigns %s" % ", ".join(named))
        if outcome.get("attempts"):
            facts["tries"] = outcome["attempts"]
            if tries_text(outcome["attempts"]) not in msg:
                problems.append("the message does not say how many tries (%d)" % outcome["attempts"])
        for word in CAUSE_WORDS.get(facts["cause"], []) + expected(row)["words"]:
            if word.lower() not in msg.lower():
                problems.append("the message lacks %r" % word)
        if not outcome.get("call") and facts["cause"] != "refused":
            problems.append("the failure names no call")
    else:
        facts["outcome"] = "changed" if outcome.get("changed") else "unchanged"
        live = [item["defId"] for item in record["results"]]
        if row["scenario"] == "policy":
            codes = sorted(POLICY_SEEDED["noRetryPolicy"] + row["no_retry_result_codes"])
            if outcome.get("campaign_id") != row["campaigns"][-1]["campaignId"]:
                problems.append("campaign_id %r is not the row's campaign" % outcome.get("campaign_id"))
            if (outcome.get("retry_policy") or {}).get("no_retry_result_codes") != codes:
                problems.append("retry_policy.no_retry_result_codes is %r, not %r"
                                % ((outcome.get("retry_policy") or {}).get("no_retry_result_codes"), codes))
        elif row["state"] != "absent" and outcome.get("defId") not in live:
            problems.append("defId %r is not the server's %r" % (outcome.get("defId"), live))
    facts["waited"] = retry_after_wait(requests)
    if not record.get("settled", True):
        problems.append("a slow fault never finished on the server")
    return facts, problems


def guard_problems(row, record, writes):
    """What must hold in every guard row: no delete before the scan's last read, none at all when the task
    failed, and the campaigns and their policies as seeded."""
    problems = []
    # By arrival (the log's time): a read that timed out is answered after its retry, and may be logged later.
    scan = [r["time"] for r in record["requests"] if r["call"] in ("campaign.list", "retry_policy.get")]
    if not scan:
        problems.append("no campaign list was read before the delete")
    if any(r["time"] < max(scan or [0]) for r in writes):
        problems.append("a delete was sent before the scan had read every policy")
    if (record["outcome"] or {}).get("failed") and writes:
        problems.append("the task failed but sent %d delete(s)" % len(writes))
    now = dict((item["campaignId"], item.get("retryPolicy")) for item in record.get("campaigns") or [])
    if now != dict((item["campaignId"], item["retryPolicy"]) for item in row["campaigns"]):
        problems.append("the campaigns or their policies changed")
    return problems


def campaign_of(request):
    """The campaign id at the end of a retryPolicy path; None for other calls."""
    if request["call"] not in ("retry_policy.get", "retry_policy.set"):
        return None
    return request["path"].split("?")[0].rsplit("/", 1)[-1]


def one_policy_state(seeded, now):
    """'as before', 'as asked' (POLICY_ADDED added, every other key as seeded) or what is wrong."""
    if now == seeded:
        return "as before"
    data = now or {}
    try:
        doc = json.loads(data.get("policyJson") or "null")
    except ValueError:
        doc = None
    asked = dict(POLICY_SEEDED, noRetryPolicy=sorted(POLICY_SEEDED["noRetryPolicy"] + [POLICY_ADDED]))
    if (isinstance(doc, dict) and isinstance(doc.get("noRetryPolicy"), list) and str(data.get("policyType")) == "0"
            and dict(doc, noRetryPolicy=sorted(doc["noRetryPolicy"])) == asked):
        return "as asked"
    return "unexpected: %s" % json.dumps(data, sort_keys=True)[:120]


def rollout_server(row, record):
    """(the state of each campaign of the row, selected then unselected; its sets sent; its sets applied)."""
    now = dict((item["campaignId"], item.get("retryPolicy")) for item in record.get("campaigns") or [])
    states, sent, applied = [], [], []
    for item in row["campaigns"]:
        ident = item["campaignId"]
        states.append(one_policy_state(item["retryPolicy"], now.get(ident)) if ident in now else "missing")
        sets = [r for r in record["requests"] if r["call"] == "retry_policy.set" and campaign_of(r) == ident]
        sent.append(len(sets))
        applied.append(len([r for r in sets if r.get("performed") and r.get("returnCode") == OK]))
    return states, sent, applied


def observed_rollout(row, record, secret, rerun):
    """The facts of a rollout row (shape of rollout_expected()) and its problems: the task's campaigns and counts
    must agree with each other and with the server, and a re-run must write only what was left to do."""
    outcome = record["outcome"] or {}
    requests = record["requests"]
    size = ROLLOUT_SELECTED
    problems = hygiene(row, outcome, requests, secret)
    states, sent, applied = rollout_server(row, record)
    reported = outcome.get("campaigns")
    facts = dict(cause=None, tries=None, campaigns=None, states=states, sent=sent[:size], applied=applied[:size],
                 fired=len([r for r in requests if r.get("fault")]), rerun=None, words=[])
    if [(r["resultCode"], r["displayResult"]) for r in record["results"]] != [
            (r["resultCode"], r["displayResult"]) for r in row["seed"]]:
        problems.append("the external results changed")
    unselected = row["campaigns"][size]["campaignId"]
    if any(campaign_of(r) == unselected for r in requests):
        problems.append("a request concerned the unselected campaign %s" % unselected)
    if reported is not None:
        if [item.get("campaign_id") for item in reported] != row["campaign_ids"]:
            problems.append("campaigns lists %r, not the selected campaigns in order" %
                            [item.get("campaign_id") for item in reported])
        facts["campaigns"] = [item.get("outcome") for item in reported][:size]
        tally = dict((name, 0) for name in ("changed", "unchanged", "skipped", "failed", "not_attempted"))
        for item in reported:
            tally[item.get("outcome")] = tally.get(item.get("outcome"), 0) + 1
        if outcome.get("counts") != tally:
            problems.append("counts %r do not add up the campaigns' outcomes %r" % (outcome.get("counts"), tally))
        for number, item in enumerate(reported[:size]):
            ident, said = item.get("campaign_id"), item.get("outcome")
            # What the task says of each campaign must be what the server saw.
            if said == "changed" and (states[number] != "as asked" or not applied[number]):
                problems.append("%s reported changed, but its policy is %s after %d set(s) applied"
                                % (ident, states[number], applied[number]))
            if said == "unchanged" and (states[number] != "as asked" or sent[number]):
                problems.append("%s reported unchanged, but its policy is %s (%d set(s) sent)"
                                % (ident, states[number], sent[number]))
            if said == "not_attempted" and (states[number] != "as before" or sent[number]):
                problems.append("%s reported not_attempted, but %d set(s) were sent" % (ident, sent[number]))
            if said == "failed" and not item.get("reason"):
                problems.append("%s failed without a reason" % ident)
            if item.get("changed") != (said == "changed") or item.get("failed") != (said == "failed"):
                problems.append("%s: changed/failed flags disagree with its outcome %r" % (ident, said))
        if outcome.get("changed") != any(item.get("outcome") == "changed" for item in reported):
            problems.append("changed is %r" % outcome.get("changed"))
    elif outcome.get("counts") is not None:
        problems.append("counts without campaigns")
    for ident in row["campaign_ids"]:
        sets = [r for r in requests if r["call"] == "retry_policy.set" and campaign_of(r) == ident]
        # A set is sent again only when the one before provably did not happen.
        if any(r.get("performed") for r in sets[:-1]):
            problems.append("%s: a set was sent again after one the server performed" % ident)
    if outcome.get("failed"):
        facts["outcome"] = "failed"
        msg = outcome.get("msg") or ""
        failed = [item for item in reported or [] if item.get("outcome") == "failed"]
        if outcome.get("error_kind") is None:
            facts["cause"] = "%d campaign%s failed" % (len(failed), "" if len(failed) == 1 else "s")
        else:
            facts["cause"] = failure_cause(outcome)
            if outcome.get("attempts"):
                facts["tries"] = outcome["attempts"]
                if not any(text in msg for text in (tries_text(outcome["attempts"]), "%d times" % outcome["attempts"])):
                    problems.append("the message does not say how many tries (%d)" % outcome["attempts"])
            for word in CAUSE_WORDS.get(facts["cause"], []):
                if word.lower() not in msg.lower():
                    problems.append("the message lacks %r" % word)
            if not outcome.get("call"):
                problems.append("the failure names no call")
        for item in failed:
            if item.get("campaign_id") not in msg:
                problems.append("the message does not name the failed campaign %s" % item.get("campaign_id"))
            for word in REASON_WORDS.get(cause_of(row), []) + [OPERATION[row["call"]]]:
                if word.lower() not in (item.get("reason") or "").lower():
                    problems.append("the reason of %s lacks %r" % (item.get("campaign_id"), word))
        # The writes it reports done are the sets the server performed.
        done = sorted(write["call"].rsplit("/", 1)[-1] for write in outcome.get("writes") or []
                      if write.get("outcome") == "done")
        performed = sorted(campaign_of(r) for r in requests if r["call"] == "retry_policy.set"
                           and r.get("performed") and r.get("returnCode") == OK)
        if done != performed:
            problems.append("writes done %r, but the server performed %r" % (done, performed))
    else:
        facts["outcome"] = "changed" if outcome.get("changed") else "unchanged"
    facts["waited"] = retry_after_wait(requests)
    if not record.get("settled", True):
        problems.append("a slow fault never finished on the server")
    if rerun is not None:
        facts["rerun"], more = observed_rerun(row, record, rerun)
        problems.extend(more)
    elif outcome.get("failed"):
        problems.append("the task failed, but was not run again")
    return facts, problems


def observed_rerun(row, record, rerun):
    """The re-run of a rollout that failed, without faults: (dict(outcome, sent, state), problems)."""
    problems = []
    outcome = rerun["outcome"] or {}
    first = max([r["seq"] for r in record["requests"]] or [0])
    again = dict(rerun, requests=[r for r in rerun["requests"] if r["seq"] > first])
    states, sent, _applied = rollout_server(row, again)
    if outcome.get("failed"):
        problems.append("the re-run failed: %s" % (outcome.get("msg") or "")[:200])
    if any(r.get("fault") for r in again["requests"]):
        problems.append("a fault fired in the re-run")
    state = "all as asked" if set(states[:ROLLOUT_SELECTED]) == {"as asked"} else ", ".join(states[:ROLLOUT_SELECTED])
    if states[ROLLOUT_SELECTED] != "as before":
        state += "; unselected %s" % states[ROLLOUT_SELECTED]
    return dict(outcome="failed" if outcome.get("failed") else ("changed" if outcome.get("changed") else "unchanged"),
                sent=sent[:ROLLOUT_SELECTED], state=state), problems


def retry_after_wait(requests):
    """For 429 answers that were retried: did the next try wait Retry-After? '' when no 429 was retried."""
    gaps = []
    ordered = sorted(requests, key=lambda r: r["seq"])
    for index, record in enumerate(ordered):
        if record.get("fault") != "rate_limit":
            continue
        # The next try: the same call on the same path (other campaigns' reads may come in between).
        later = [r for r in ordered[index + 1:] if r["call"] == record["call"] and r["path"] == record["path"]]
        if later:
            gaps.append(later[0]["time"] - record["time"])
    if not gaps:
        return ""
    return ">= Retry-After (%ds)" % RETRY_AFTER if min(gaps) >= RETRY_AFTER - 0.02 else "only %.2fs" % min(gaps)


def expected_wait(row):
    """Every 429 that is tried again waits Retry-After (there is another try whenever retries > 0)."""
    if row["fault"] == "rate_limit" and row["retries"] > 0:
        return ">= Retry-After (%ds)" % RETRY_AFTER
    return ""


# ------------------------------------------------------------------ running

def cost(row):
    """A rough estimate of a row's seconds, to share rows fairly between lanes."""
    seconds = 1.0
    want = expected(row)
    fired = want["fired"]
    if want.get("rerun"):
        seconds += 1.0
    if row["module"] == "isales_retry_policies" and row["call"] == "retry_policy.set" and (
            row["fault"] in ("slow", "504") + TRICKLED):
        # Settled by reading over 2 x TIMEOUT, then a settle read after a pause of about twice that.
        seconds += 4 * TIMEOUT
    if row["fault"] == "late":
        seconds += max(rule.get("delay", LATE_AFTER) for rule in row["rules"]) + 2 * TIMEOUT
    elif row["fault"] in ("slow",) + TRICKLED:
        seconds += fired * TIMEOUT + (2 * TIMEOUT if row["call"] in ALL_WRITES else 0)
    elif row["fault"] == "rate_limit":
        seconds += fired * RETRY_AFTER
    elif row["fault"] == "504" and row["call"] in ALL_WRITES:
        seconds += fired * 2 * TIMEOUT
    else:
        seconds += 0.4 * fired
    return seconds


def split(matrix_rows, lanes):
    """The rows in lanes of about equal cost; each lane keeps the matrix order."""
    buckets = [[] for _lane in range(lanes)]
    loads = [0.0] * lanes
    for row in sorted(matrix_rows, key=cost, reverse=True):
        lane = loads.index(min(loads))
        buckets[lane].append(row)
        loads[lane] += cost(row)
    return [sorted(bucket, key=lambda row: row["index"]) for bucket in buckets if bucket]


def run_lanes(matrix_rows, work_dir, lanes, verbosity):
    """Start a simulator per lane, run the playbook over all lanes at once, stop them; (rc, records, log)."""
    secret = simctl.new_secret()
    buckets = split(matrix_rows, lanes)
    sims = []
    inventory = {"lanes": {"hosts": {}}}
    log_path = os.path.join(work_dir, "fault-matrix.ansible.log")
    try:
        for number, bucket in enumerate(buckets, 1):
            sim = simctl.Simulator(os.path.join(work_dir, "lane%d" % number), secret).start()
            sims.append(sim)
            rows_path = os.path.join(work_dir, "lane%d.rows.json" % number)
            with open(rows_path, "w", encoding="utf-8") as handle:
                json.dump(bucket, handle)
            out_path = os.path.join(work_dir, "lane%d.observations.jsonl" % number)
            if os.path.exists(out_path):
                os.unlink(out_path)
            inventory["lanes"]["hosts"]["lane%d" % number] = {
                "sim_url": sim.url, "sim_ca": sim.ca_path, "sim_admin": sim.admin_url,
                "lane_rows": rows_path, "lane_out": out_path}
        inventory_path = os.path.join(work_dir, "lanes.json")
        with open(inventory_path, "w", encoding="utf-8") as handle:
            json.dump({"all": {"children": inventory}}, handle, indent=1)
        env = simctl.ansible_env({"ISALES_SECRET_KEY": secret, "ISALES_ACCESS_KEY": sims[0].access_key})
        command = ["ansible-playbook", "-i", inventory_path, "--forks", str(len(buckets)), PLAYBOOK]
        if verbosity:
            command.append("-" + "v" * verbosity)
        with open(log_path, "w", encoding="utf-8") as log:
            rc = subprocess.call(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=HERE)
    finally:
        for sim in sims:
            sim.stop()
    records = []
    for host in inventory["lanes"]["hosts"].values():
        if os.path.exists(host["lane_out"]):
            with open(host["lane_out"], encoding="utf-8") as handle:
                records.extend(json.loads(line) for line in handle if line.strip())
    with open(log_path, encoding="utf-8") as handle:
        text = handle.read()
        if secret in text:
            rc = rc or 3
            print("the secret key appears in the ansible-playbook output")
        if AUTHORIZATION_RE.search(text):
            rc = rc or 3
            print("an Authorization value or a signature appears in the ansible-playbook output")
    return rc, records, secret, log_path


def table(results, seconds):
    faults = sorted(set(r["row"]["fault"] for r in results), key=KINDS.index)
    calls = sorted(set(r["row"]["call"] for r in results), key=(CALLS + POLICY_CALLS).index)
    bad = [r for r in results if not r["ok"]]
    lines = [
        "# Fault matrix of `huawei.isales.isales_ob_result`, `huawei.isales.isales_retry_policy` and "
        "`huawei.isales.isales_retry_policies`",
        "",
        "<!-- Generated by tests/resilience/fault_matrix.py (nox session resilience). Do not edit. -->",
        "",
        "Every row ran `huawei.isales.isales_ob_result` (or, for the calls of campaigns and retry policies,",
        "`huawei.isales.isales_retry_policy`; the *rollout* and *delete guard* rows say their module) once,",
        "through `ansible-playbook`, against the",
        "CC-iSales simulator over HTTPS, with the row's faults armed on the simulator. *Expected* comes",
        "from the model in `tests/resilience/fault_matrix.py`; *observed* is read back from the simulator",
        "(its results and campaigns on the row's VDN, read through the admin API, and its request log) and",
        "from the module's answer. A row passes only when the two are equal.",
        "",
        "* Plays: **ob_result.list** and **ob_result.create** faults hit a play that creates a result;",
        "  **ob_result.detail** and **ob_result.update** faults a play that changes the OBS codes of an existing",
        "  result; **ob_result.delete** faults a play that deletes one. No `result_code` is used, so nothing but",
        "  the module stops a second create.",
        "* **campaign.list**, **retry_policy.get** and **retry_policy.set** faults hit a play that adds one result",
        "  code to the no-retry list of a campaign's global policy, the campaign named by `campaign_name` (so the",
        "  campaign list is read); the VDN has a second campaign, whose policy must stay as it was, and both",
        "  codes are external results of the VDN. *policy as asked*: the campaign's policy holds both codes and",
        "  every other key as seeded (one the collection does not know included). A set is the whole document:",
        "  after a set that failed, the policy is read again (after a timeout or a 504: at once and twice more,",
        "  `timeout` seconds apart) and written again only when the change is missing.",
        "* *rollout* rows run `huawei.isales.isales_retry_policies` over %d campaigns named by `campaign_ids`"
        % ROLLOUT_SELECTED,
        "  (`max_workers` in the notes), adding the same code to each one's policy; the VDN has one more",
        "  campaign, not selected, that no request may touch. The fault hits the second campaign's policy read",
        "  or write (`where: campaignId`), or the campaign list. *campaigns* = each selected campaign's outcome",
        "  as the task reports it; *server* = each one's policy; *sets sent / applied* per campaign. In every",
        "  rollout row the task's `counts` add up its `campaigns`, each campaign reported changed holds the",
        "  change after a set the server performed, one reported not_attempted received no set, no campaign",
        "  received a set after one the server had performed, and a failed task's `writes` done are the sets",
        "  the server performed. A task that failed is run again without faults (*re-run*): it writes the",
        "  campaigns left as before, once each.",
        "* *delete guard* rows delete a result that has a result code (`isales_ob_result` with `state: absent`,",
        "  or `isales_ob_results` with `state: deleted`): before the delete, the module reads the campaign list",
        "  and every campaign's policy (*scan read*; the VDN has %d campaigns, their policies naming another" % GUARD_CAMPAIGNS,
        "  result's code unless the notes say they name this one). The fault hits the campaign list or the last",
        "  campaign's policy read. In every guard row no delete arrived before the scan's last read, a task that",
        "  failed sent no delete, and the campaigns and policies stayed as seeded.",
        "* Every row uses `timeout: %d`; `retries` is in its column. *slow* answers after %.1f s (the server"
        % (TIMEOUT, SLOW_DELAY),
        "  acts after the client gave up); *rate_limit* is a 429 with `Retry-After: %d`; *act* = the server" % RETRY_AFTER,
        "  performed the write and then answered with the fault; *clock_skew* offsets the server's clock.",
        "* *late*: a gateway answers 504 at once and the server performs the write later (the row says when);",
        "  the row is observed after it landed. A create that may still land is never sent again: the task",
        "  fails saying its outcome is unknown. *rewrite*: the server acts, and its answer is changed on the",
        "  way back (fields removed or replaced). The *totalCount* rows run on a VDN of 60 results, the",
        "  row's own on page 2; their *faults fired* counts the list requests.",
        "* Hostile answers: the server acts (unless the notes say otherwise), then answers with its status",
        "  line and headers (*trickle_headers*) or its body (*trickle_body*) a byte every 0.25 s, a chunked",
        "  body without end (*endless_body*), valid JSON of 9 MiB (*oversized_body*), an extra member nested",
        "  100000 deep (*deep_nesting*), an integer of 5000 digits (*huge_number*), `NaN` (*nan*), a 0xff",
        "  byte in UTF-8 (*undecodable*), a lone `\\ud800` (*surrogate*), a `Date` in the year 99999",
        "  (*bad_date*), or its returnDesc (or an error page) quoting the request's Authorization",
        "  (*echo_auth*). A trickled answer is a timeout, the body faults between are unusable answers; a",
        "  read is read again, a write reconciled by reading the state again.",
        "* *writes sent* = write requests (creates, updates, deletes, policy sets) that reached the server;",
        "  *applied* = writes it performed with",
        "  success. *failed cleanly* = no traceback, no secret, and the message names the call, the number of",
        "  tries when there was more than one, and the last cause. In every row, no request left the row's",
        "  VDN's API path, and the module's result holds no Authorization value and no signature.",
        "",
        "Size: %d fault kinds x %d call kinds; %d rows, %d passed, %d failed; run time %.0f s."
        % (len(faults), len(calls), len(results), len(results) - len(bad), len(bad), seconds),
        "",
        "| # | fault | call | count | retries | notes | expected | observed | ok |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for item in results:
        row = item["row"]
        notes = row["note"] or ("act" if row.get("act") else "")
        count = "-" if row["fault"] in ("clock_skew", "references") or row.get("every") else str(row["count"])
        observed_text = item["observed"]
        if item["problems"]:
            observed_text += " **(" + "; ".join(item["problems"]) + ")**"
        lines.append("| %d | %s | %s | %s | %d | %s | %s | %s | %s |" % (
            row["index"], row["fault"], row["call"], count, row["retries"], notes, item["expected"],
            observed_text.replace("|", "\\|"), "yes" if item["ok"] else "**NO**"))
    return "\n".join(lines) + "\n"


def evaluate(matrix_rows, records, secret):
    by_id = dict(((record["row"]["id"], record.get("phase")), record) for record in records)
    results = []
    for row in matrix_rows:
        record = by_id.get((row["id"], None))
        want = expected(row)
        want["waited"] = expected_wait(row)
        if record is None:
            results.append(dict(row=row, expected=describe(want, row), observed="not run", problems=[], ok=False))
            continue
        facts, problems = observed(row, record, secret, rerun=by_id.get((row["id"], "rerun")))
        results.append(dict(row=row, expected=describe(want, row), observed=describe(facts, row), problems=problems,
                            ok=describe(want, row) == describe(facts, row) and not problems))
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", required=True, help="the Markdown table to write")
    parser.add_argument("--docs", help="the committed table (docs/fault-matrix.md): fail when it differs from --out")
    parser.add_argument("--only", help="run only rows whose id contains this text")
    parser.add_argument("--full", action="store_true", help="every fault x call in the retries-exhausted and "
                        "server-acted parts too (slower; not for the committed table)")
    parser.add_argument("--lanes", type=int, default=3, help="rows run in this many lanes at once, "
                        "each with its own simulator (default 3)")
    parser.add_argument("-v", dest="verbosity", action="count", default=0, help="ansible-playbook verbosity")
    args = parser.parse_args(argv)
    matrix_rows = [row for row in rows(args.full) if not args.only or args.only in row["id"]]
    work_dir = os.path.join(os.path.dirname(os.path.abspath(args.out)), "fault-matrix")
    os.makedirs(work_dir, exist_ok=True)
    started = time.monotonic()
    rc, records, secret, log_path = run_lanes(matrix_rows, work_dir, max(1, args.lanes), args.verbosity)
    seconds = time.monotonic() - started
    results = evaluate(matrix_rows, records, secret)
    text = table(results, seconds)
    with open(args.out, "w", encoding="utf-8") as handle:
        handle.write(text)
    bad = [r for r in results if not r["ok"]]
    print("fault matrix: %d rows, %d passed, %d failed, %.0f s; table: %s; ansible-playbook log: %s"
          % (len(results), len(results) - len(bad), len(bad), seconds, args.out, log_path))
    for item in bad:
        print("  row %s\n    expected: %s\n    observed: %s %s" % (
            item["row"]["id"], item["expected"], item["observed"], "; ".join(item["problems"])))
    if rc != 0:
        print("ansible-playbook exited with %d (see its log)" % rc)
        return 2
    if bad:
        return 1
    if args.docs and not (args.only or args.full):
        if not os.path.exists(args.docs) or _body(args.docs) != _body(args.out):
            print("%s is stale: the table generated now (%s) differs; copy it over" % (args.docs, args.out))
            return 1
    return 0


def _body(path):
    """The table without its run time, which differs from run to run."""
    with open(path, encoding="utf-8") as handle:
        return "".join(line.split("; run time")[0] for line in handle)


if __name__ == "__main__":
    sys.exit(main())
