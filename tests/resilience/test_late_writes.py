# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Writes that land late are never made twice.

A gateway in front of a slow backend answers 504 at once while the backend performs the write seconds
later (the simulator's `late` fault). With timeout 1:

* a late create: the task reads the VDN again (at once, then twice more, a timeout apart), does not see
  it, and fails saying its outcome is unknown - one create sent, never a second. Once the write has
  landed, a re-run finds it and writes nothing: one result.
* a re-run before the late create lands makes its own result; when the late one lands there are two
  identical copies, and the next run removes the late one (the higher defId): one result again.
* a late update and a late delete are reconciled like any other 504, and converge.
"""

from __future__ import absolute_import, division, print_function

from conftest import crash_signs, output_crash_signs, results_of, run_steps

OK = "0200000"
CODES = ["00602", "00603"]
UNKNOWN_WORDS = ("outcome unknown", "may still land", "run again")


def single(name, vdn, display, state="present", **extra):
    params = dict(vdn_id=vdn, display_result=display, timeout=1, state=state)
    if state == "present":
        params["obs_codes"] = CODES
    step = dict(name=name, module="isales_ob_result", params=params)
    step.update(extra)
    return step


def late(call, delay):
    return {"call": call, "kind": "late", "delay": delay, "count": 1}


def assert_ran(run):
    assert run.returncode == 0, run.output[-4000:]
    assert output_crash_signs(run) == [], run.output[-4000:]


def assert_unknown_outcome(step):
    outcome = step.outcome
    assert crash_signs(outcome) == [], outcome
    assert outcome.get("failed"), outcome
    for word in UNKNOWN_WORDS:
        assert word in outcome["msg"].lower(), "%r not in %r" % (word, outcome["msg"])
    assert outcome.get("status") == 504 and "HTTP 504" in outcome["msg"], outcome
    assert "createObResult" in outcome["msg"] or "createObResult" in (outcome.get("call") or ""), outcome


def test_late_create_fails_then_a_rerun_finds_it(fresh, tmp_path):
    vdn, display = 6001, "Late: lands 5 s after its 504"
    run, steps = run_steps(fresh, [
        single("attempt", vdn, display, faults=[late("ob_result.create", 5)]),
        single("rerun after landing", vdn, display, faults=[], wait_landed=True),
    ], tmp_path)
    assert_ran(run)
    attempt, rerun = steps["attempt"], steps["rerun after landing"]

    assert_unknown_outcome(attempt)
    creates = attempt.calls("ob_result.create")
    assert len(creates) == 1 and creates[0]["fault"] == "late", attempt.requests
    assert attempt.writes == creates
    # Read again at once, then twice more about a timeout (1 s) apart: about 2 s in all.
    reads = [r["time"] for r in attempt.requests if r["call"] == "ob_result.list" and r["seq"] > creates[0]["seq"]]
    assert len(reads) >= 3 and reads[-1] - reads[0] >= 1.8, reads

    # The late create landed once, after the task had given up.
    landed = [r for r in fresh.admin("GET", "/requests")["requests"] if r["seq"] == creates[0]["seq"]][0]
    assert landed["returnCode"] == OK and landed["def_id"], landed
    results = results_of(fresh, vdn)
    assert [(r["defId"], r["displayResult"], r["obsCodes"]) for r in results] == [(landed["def_id"], display, CODES)]

    outcome = rerun.outcome
    assert crash_signs(outcome) == [] and not outcome.get("failed"), outcome
    assert not outcome["changed"] and outcome["defId"] == landed["def_id"], outcome
    assert outcome["duplicates_removed"] == []
    assert rerun.requests and rerun.writes == []
    assert results_of(fresh, vdn) == results


def test_rerun_before_the_late_create_lands(fresh, tmp_path):
    vdn, display = 6002, "Late: lands after a re-run"
    run, steps = run_steps(fresh, [
        single("attempt", vdn, display, faults=[late("ob_result.create", 7)]),
        single("rerun before landing", vdn, display, faults=[]),
        single("run after landing", vdn, display, wait_landed=True),
        single("once more", vdn, display),
    ], tmp_path)
    assert_ran(run)
    attempt, early, cleanup, last = (steps[name] for name in (
        "attempt", "rerun before landing", "run after landing", "once more"))
    assert_unknown_outcome(attempt)
    assert len(attempt.writes) == 1

    # The re-run came before the late create landed: it found nothing and created the result.
    outcome = early.outcome
    assert crash_signs(outcome) == [] and not outcome.get("failed"), outcome
    assert outcome["changed"] and [r["call"] for r in early.writes] == ["ob_result.create"], early.requests
    mine = outcome["defId"]
    assert mine == early.writes[0]["def_id"]
    late_create = [r for r in fresh.admin("GET", "/requests")["requests"] if r["seq"] == attempt.writes[0]["seq"]][0]
    late_id = late_create["def_id"]
    assert late_create["returnCode"] == OK and late_id
    assert int(late_id) > int(mine), "the late create landed before the re-run created its own (too slow a run?)"

    # After the landing, two identical copies: the next run keeps the lowest defId, deletes the other.
    outcome = cleanup.outcome
    assert crash_signs(outcome) == [] and not outcome.get("failed"), outcome
    assert outcome["changed"] and outcome["defId"] == mine, outcome
    assert outcome["duplicates_removed"] == [late_id], outcome
    assert [(r["call"], r["def_id"], r["returnCode"]) for r in cleanup.writes] == [("ob_result.delete", late_id, OK)]
    assert [(r["defId"], r["displayResult"], r["obsCodes"]) for r in results_of(fresh, vdn)] == [(mine, display, CODES)]

    outcome = last.outcome
    assert not outcome.get("failed") and not outcome["changed"] and outcome["defId"] == mine, outcome
    assert last.writes == []


def test_late_update_and_delete_converge(fresh, tmp_path):
    fresh.admin("POST", "/results", {"vdnId": 6003, "results": [{"displayResult": "Late update",
                                                                 "obsCodes": ["00602"]}]})
    fresh.admin("POST", "/results", {"vdnId": 6004, "results": [{"displayResult": "Late delete",
                                                                 "obsCodes": ["00602"]}]})
    run, steps = run_steps(fresh, [
        # The update lands within the reads that follow its 504; the delete only after them.
        single("update", 6003, "Late update", faults=[late("ob_result.update", 1.5), late("ob_result.delete", 5)]),
        single("delete", 6004, "Late delete", state="absent"),
        single("update again", 6003, "Late update", faults=[], wait_landed=True),
        single("delete again", 6004, "Late delete", state="absent"),
    ], tmp_path)
    assert_ran(run)

    update = steps["update"]
    outcome = update.outcome
    assert crash_signs(outcome) == [] and not outcome.get("failed"), outcome
    assert outcome["changed"] and outcome["ob_result"]["obs_codes"] == CODES, outcome
    updates = update.calls("ob_result.update")
    assert updates[0]["fault"] == "late" and 1 <= len(updates) <= 2, updates
    assert [r["call"] for r in update.writes] == ["ob_result.update"] * len(updates)

    delete = steps["delete"]
    outcome = delete.outcome
    assert crash_signs(outcome) == [] and not outcome.get("failed"), outcome
    assert outcome["changed"], outcome
    deletes = delete.calls("ob_result.delete")
    assert deletes[0]["fault"] == "late" and 1 <= len(deletes) <= 2, deletes
    assert [r["call"] for r in delete.writes] == ["ob_result.delete"] * len(deletes)

    # Once every late write has landed: as asked, and a re-run writes nothing.
    assert [(r["displayResult"], r["obsCodes"]) for r in results_of(fresh, 6003)] == [("Late update", CODES)]
    assert results_of(fresh, 6004) == []
    for name in ("update again", "delete again"):
        outcome = steps[name].outcome
        assert not outcome.get("failed") and not outcome["changed"], (name, outcome)
        assert steps[name].requests and steps[name].writes == [], (name, steps[name].writes)
