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
their policies. Besides the fault kinds that every call meets, a few rows
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
# Every kind, in table order: FAULTS, those of the hand-written rows only (part 8), clock_skew (no fault rule), HOSTILE.
KINDS = FAULTS + ("late", "rewrite", "clock_skew") + HOSTILE
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
# An Authorization value of auth-v2, or a signature (64 hex digits) alone: never in a module's result.
AUTHORIZATION_RE = re.compile(r"auth-v2/|(?<![0-9A-Fa-f])[0-9a-f]{64}(?![0-9A-Fa-f])")
ORIGINAL_CODES = ["00602"]
DESIRED_CODES = ["00602", "00603"]
# The policy rows: the campaign's global policy names RP1 in its no-retry list (and a key the collection
# does not know); the task adds RP2. Both codes are external results of the row's VDN.
POLICY_SEEDED = {"type": 0, "retryDay": 2, "retryTimes": 3, "vendorExtra": 1, "noRetryPolicy": ["RP1"]}
POLICY_ADDED = "RP2"


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
    return [make_row(index + 1, **spec) for index, spec in enumerate(specs)]


# ------------------------------------------------------------------ the model

def expected(row):
    """What should happen: dict(outcome, cause, tries, state, sent, applied, fired, words)."""
    if row.get("expect"):
        return dict(row["expect"])
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
    text = "%s; server: %s; writes sent %d, applied %d; faults fired %d" % (
        head, state_text(facts["state"], row), facts["sent"], facts["applied"], facts["fired"])
    if facts.get("waited"):
        text += "; waited %s" % facts["waited"]
    return text


def tries_text(count):
    return "1 try" if count == 1 else "%d tries" % count


def state_text(state, row):
    """How the server's state reads in the table."""
    scenario = row["scenario"]
    if scenario == "policy":
        return {"as asked": "policy as asked", "as before": "policy as before"}.get(state, state)
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
    if row["scenario"] == "delete":
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


def observed(row, record, secret):
    """What happened, in the shape of expected(), plus problems (a list) found in the module's answer."""
    outcome = record["outcome"] or {}
    requests = record["requests"]
    problems = []
    writes = [r for r in requests if r["call"] in ALL_WRITES]
    facts = dict(
        sent=len(writes),
        applied=len([r for r in writes if r.get("performed") and r.get("returnCode") == OK]),
        fired=len([r for r in requests if r.get("fault")]),
        state=server_state(row, record["results"]) if row["scenario"] != "policy"
        else policy_state(row, record.get("campaigns") or []),
        tries=None, cause=None, words=[],
    )
    if row["scenario"] == "policy" and [(r["resultCode"], r["displayResult"]) for r in record["results"]] != [
            (r["resultCode"], r["displayResult"]) for r in row["seed"]]:
        problems.append("the external results changed")
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
    if outcome.get("failed"):
        facts["outcome"] = "failed"
        msg = outcome.get("msg") or ""
        kind, status = outcome.get("error_kind"), outcome.get("status")
        facts["cause"] = {"http": "HTTP %s" % status, "auth": "HTTP 401", "timeout": "timeout",
                          "connection": "connection", "parse": "unparsable answer"}.get(kind, "unknown kind %r" % kind)
        if outcome.get("attempts"):
            facts["tries"] = outcome["attempts"]
            if tries_text(outcome["attempts"]) not in msg:
                problems.append("the message does not say how many tries (%d)" % outcome["attempts"])
        for word in CAUSE_WORDS.get(facts["cause"], []) + expected(row)["words"]:
            if word.lower() not in msg.lower():
                problems.append("the message lacks %r" % word)
        if not outcome.get("call"):
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
        elif row["scenario"] != "delete" and outcome.get("defId") not in live:
            problems.append("defId %r is not the server's %r" % (outcome.get("defId"), live))
    facts["waited"] = retry_after_wait(requests)
    if not record.get("settled", True):
        problems.append("a slow fault never finished on the server")
    return facts, problems


def retry_after_wait(requests):
    """For 429 answers that were retried: did the next try wait Retry-After? '' when no 429 was retried."""
    gaps = []
    ordered = sorted(requests, key=lambda r: r["seq"])
    for index, record in enumerate(ordered):
        if record.get("fault") != "rate_limit":
            continue
        later = [r for r in ordered[index + 1:] if r["call"] == record["call"]]
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
    fired = expected(row)["fired"]
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
        "# Fault matrix of `huawei.isales.isales_ob_result` and `huawei.isales.isales_retry_policy`",
        "",
        "<!-- Generated by tests/resilience/fault_matrix.py (nox session resilience). Do not edit. -->",
        "",
        "Every row ran `huawei.isales.isales_ob_result` (or, for the calls of campaigns and retry policies,",
        "`huawei.isales.isales_retry_policy`) once, through `ansible-playbook`, against the",
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
        count = "-" if row["fault"] == "clock_skew" or row.get("every") else str(row["count"])
        observed_text = item["observed"]
        if item["problems"]:
            observed_text += " **(" + "; ".join(item["problems"]) + ")**"
        lines.append("| %d | %s | %s | %s | %d | %s | %s | %s | %s |" % (
            row["index"], row["fault"], row["call"], count, row["retries"], notes, item["expected"],
            observed_text.replace("|", "\\|"), "yes" if item["ok"] else "**NO**"))
    return "\n".join(lines) + "\n"


def evaluate(matrix_rows, records, secret):
    by_id = dict((record["row"]["id"], record) for record in records)
    results = []
    for row in matrix_rows:
        record = by_id.get(row["id"])
        want = expected(row)
        want["waited"] = expected_wait(row)
        if record is None:
            results.append(dict(row=row, expected=describe(want, row), observed="not run", problems=[], ok=False))
            continue
        facts, problems = observed(row, record, secret)
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
