# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Overlapping runs of one playbook converge on one result per display text.

Runs of playbooks/races.yml over 8 texts start at the same moment against a simulator that takes 300 ms
per request, so that each lists the VDN, sees nothing and creates: three ansible-playbook processes
(an AWX schedule meeting a manual launch), and hosts of one run that share a VDN (--forks), with a
result code per text, and with isales_ob_results (state merged) instead of isales_ob_result. Barrier
tasks make every run and host send its first request at the same moment, and the racers of a scenario
start each text together. Afterwards each VDN holds
exactly one result per text (the lowest defId), no survivor was ever deleted, every task succeeded
with nothing but clean messages, and a fourth run writes nothing. Each racer signs with another
signed_headers dialect, so the simulator's request log tells whose request each one was.

Two hosts that want one text with different result codes: one result stays, the other task fails
saying display texts must stay unique. Copies already on a VDN: identical ones are reduced to the
lowest defId (the others returned in duplicates_removed); copies that differ fail cleanly, naming them.
"""

from __future__ import absolute_import, division, print_function

import json
import sys

import pytest

from conftest import (crash_signs, last_seq, output_crash_signs, requests_since, results_of, run_playbook,
                      run_playbooks_at_once, writes)

OK = "0200000"
LATENCY_MS = 300
DIALECTS = (["host"], ["content-type", "host"], ["content-length", "content-type", "host"])
API_PREFIX = "/rest/isales/v1/openapi/campaigns"


def texts(with_codes):
    """The 8 texts every run manages; with_codes: each with a result code too."""
    items = []
    for number in range(1, 9):
        item = {"display_result": "Race %d: the callee hung up" % number,
                "obs_codes": ["006%02d" % (number + 10), "00602"]}
        if with_codes:
            item["result_code"] = "RC%d" % number
        items.append(item)
    return items


def dialect_of(record):
    return record["signed_headers"]


def write_inventory(path, hosts):
    for host_vars in hosts.values():
        host_vars.update(ansible_connection="local", ansible_python_interpreter=sys.executable)
    path.write_text(json.dumps({"all": {"hosts": hosts}}))
    return str(path)


def load(path):
    with open(str(path), encoding="utf-8") as handle:
        return json.load(handle)


def task_results(dump, mode):
    """The results of the task of mode in one run's dump: a list (one per text, or the one bulk task)."""
    outcome = dump[mode]
    return outcome["results"] if mode == "single" else [outcome]


def assert_sane_run(run):
    assert run.returncode == 0, run.output[-4000:]
    assert output_crash_signs(run) == [], run.output[-4000:]


def party(vdn, mode, items, dialect, dump, barrier=None, text_barrier=None):
    """The variables of one run (or host) of playbooks/races.yml."""
    variables = {"vdn": vdn, "mode": mode, "texts": items, "dialect": dialect, "dump": str(dump)}
    if barrier:
        variables["barrier"] = barrier
    if text_barrier:
        variables["text_barrier"] = text_barrier
    return variables


def playbook_run(sim, path, hosts):
    """One ansible-playbook run of races.yml over hosts ({name: party()}), all of them at once."""
    return ("races.yml", write_inventory(path, hosts), ["--forks", str(len(hosts))], sim.env())


def survivors(results, items):
    """{display text: its one result}; fails unless results hold exactly one per text, as asked."""
    by_text = {}
    for result in results:
        by_text.setdefault(result["displayResult"], []).append(result)
    assert sorted(by_text) == sorted(item["display_result"] for item in items), results
    for item in items:
        copies = by_text[item["display_result"]]
        assert len(copies) == 1, "%d results show %r: %r" % (len(copies), item["display_result"], copies)
        assert copies[0]["obsCodes"] == sorted(item["obs_codes"]), copies
        assert copies[0]["resultCode"] == item.get("result_code", ""), copies
    return dict((text, copies[0]) for text, copies in by_text.items())


def reported_def_ids(result, mode):
    """The defIds a successful task reports for the results it manages."""
    if mode == "single":
        return {result["defId"]}
    return (set(item["defId"] for item in result["created"]) | set(item["defId"] for item in result["updated"])
            | set(result["unchanged"]))


# The overlapping runs, each scenario on its own VDN, each party signing with its own dialect:
SCENARIOS = {
    # three ansible-playbook processes, isales_ob_result in a loop, no result codes;
    "processes": dict(vdn=3101, mode="single", codes=False),
    # three hosts of one run sharing the VDN (--forks), each text with a result code;
    "forks": dict(vdn=3102, mode="single", codes=True),
    # three hosts of one run, isales_ob_results (state merged) over the same texts.
    "bulk": dict(vdn=3103, mode="bulk", codes=False),
}
# And two hosts that want one display text with different result codes.
TWO_CODES_VDN = 3104
TWO_CODES_TEXT = "Race: one text, two codes"
TWO_CODES = ("DIFF1", "DIFF2")


@pytest.fixture(scope="module")
def overlapping(sim, tmp_path_factory):
    """Every race at once (at LATENCY_MS per request), then every scenario's fourth run and the copies run
    at once (no latency); what each party returned and the server's log, by scenario.

    The races: three ansible-playbook processes (scenario "processes") and one more whose hosts are the
    parties of the other scenarios, all waiting for each other before their first request.
    """
    tmp = tmp_path_factory.mktemp("races")
    sim.admin("POST", "/reset")
    seed_copies(sim)
    barrier = {"dir": str(tmp / "barrier"), "parties": len(DIALECTS) * len(SCENARIOS) + len(TWO_CODES)}
    layout, groups, shared = {}, [], {}
    for name, spec in SCENARIOS.items():
        items = texts(spec["codes"])
        dumps = {}
        # The racers of a scenario also wait for each other before each text: they do not drift apart.
        text_barrier = {"dir": str(tmp / ("texts-%s" % name)), "parties": len(DIALECTS)}
        for number, dialect in enumerate(DIALECTS, 1):
            dumps[";".join(dialect)] = tmp / ("%s-%d.json" % (name, number))
            host = party(spec["vdn"], spec["mode"], items, dialect, dumps[";".join(dialect)], barrier, text_barrier)
            if name == "processes":
                groups.append({"racer": host})
            else:
                shared["%s%d" % (name, number)] = host
        layout[name] = dict(spec, items=items, dumps=dumps)
    two_dumps = {}
    for number, (code, dialect) in enumerate(zip(TWO_CODES, DIALECTS), 1):
        two_dumps[code] = tmp / ("two-codes-%d.json" % number)
        item = {"display_result": TWO_CODES_TEXT, "result_code": code, "obs_codes": ["00602"]}
        shared["two%d" % number] = party(TWO_CODES_VDN, "single", [item], dialect, two_dumps[code], barrier)
    layout["two codes"] = dict(vdn=TWO_CODES_VDN, dumps=two_dumps)
    groups.append(shared)
    runs = [playbook_run(sim, tmp / ("race-%d.json" % index), hosts) for index, hosts in enumerate(groups)]

    sim.admin("POST", "/config", {"latency_ms": LATENCY_MS})
    try:
        finished = run_playbooks_at_once(runs)
    finally:
        sim.admin("POST", "/config", {"latency_ms": 0})
    race_log = requests_since(sim)
    since = max([record["seq"] for record in race_log] or [0])
    kept = dict((name, results_of(sim, spec["vdn"])) for name, spec in SCENARIOS.items())

    # The fourth run of each scenario (one party, alone on its VDN) and the copies, in one run.
    again_hosts = copies_hosts(tmp)
    for name, spec in SCENARIOS.items():
        layout[name]["again_dump"] = tmp / ("%s-again.json" % name)
        again_hosts["again-%s" % name] = party(spec["vdn"], spec["mode"], layout[name]["items"], ["host"],
                                               layout[name]["again_dump"])
    again = run_playbook(*playbook_run(sim, tmp / "again.json", again_hosts))
    again_log = requests_since(sim, since)

    data = {}
    for name, spec in layout.items():
        data[name] = dict(spec, runs=finished[:len(DIALECTS)] if name == "processes" else finished[-1:],
                          log=[r for r in race_log if r["vdn_id"] == spec["vdn"]])
        if name in SCENARIOS:
            data[name].update(kept=kept[name], again_run=again,
                              again_log=[r for r in again_log if r["vdn_id"] == spec["vdn"]])
    data["copies"] = dict(run=again, tmp=tmp, log=[r for r in again_log if r["vdn_id"] in COPY_SEEDS])
    return data


def check_race(data):
    """What every overlapping run must leave: checked on the server, the tasks' results and the request log."""
    mode, vdn, items, log = data["mode"], data["vdn"], data["items"], data["log"]
    for run in data["runs"]:
        assert_sane_run(run)
    dumps = dict((dialect, load(path)) for dialect, path in data["dumps"].items())
    # The server's state right after the race: exactly one result per text, as asked.
    kept = survivors(data["kept"], items)
    wanted = set(result["defId"] for result in kept.values())
    api = "%s/%d/" % (API_PREFIX, vdn)
    assert [r["path"] for r in log if not r["path"].startswith(api) or r["call"] == "unknown"] == []
    assert all(r["auth"] == "ok" for r in log), [r for r in log if r["auth"] != "ok"][:2]
    assert sorted(set(dialect_of(r) for r in log)) == sorted(dumps), "not every run reached the server"

    created = dict((r["def_id"], dialect_of(r)) for r in log
                   if r["call"] == "ob_result.create" and r["returnCode"] == OK)
    deletes = [r for r in log if r["call"] == "ob_result.delete"]
    # The lowest defId of each text stays: nobody ever deleted a survivor.
    assert [r for r in deletes if r["def_id"] in wanted] == []
    # Every copy created in the race was deleted again, by exactly one successful delete.
    deleted_ok = [r["def_id"] for r in deletes if r["returnCode"] == OK]
    assert sorted(deleted_ok) == sorted(set(created) - wanted)
    # A delete that found nothing (02000007) is a racer that came second: it counts as done.
    assert all(r["returnCode"] in (OK, "02000007") for r in deletes), deletes
    assert [r for r in log if r["call"] == "ob_result.update"] == [], "nothing needed an update"

    reported_removed = set()
    for dialect, dump in dumps.items():
        for result in task_results(dump, mode):
            assert crash_signs(result) == [], (dialect, result)
            assert not result.get("failed"), (dialect, result.get("msg"))
            # Every task reports the survivors, whoever created them.
            assert reported_def_ids(result, mode) <= wanted, (dialect, result)
            removed = result["duplicates_removed"]
            reported_removed.update(removed)
            mine = set(r["def_id"] for r in deletes if dialect_of(r) == dialect)
            assert set(removed) <= mine, "%s reports deletes it did not send: %r" % (dialect, removed)
        mine_ok = [r["def_id"] for r in deletes if dialect_of(r) == dialect and r["returnCode"] == OK]
        assert set(mine_ok) <= reported_removed, "%s deleted %r without reporting it" % (dialect, mine_ok)
    if mode == "single":
        for dump in dumps.values():
            assert len(task_results(dump, mode)) == len(items)
        # A task after its own create deletes its own copy, never another run's.
        for record in deletes:
            assert created.get(record["def_id"]) == dialect_of(record), (
                "%s deleted %s, created by %s" % (dialect_of(record), record["def_id"], created.get(record["def_id"])))
    else:
        for dump in dumps.values():
            assert reported_def_ids(dump["bulk"], mode) == wanted, dump["bulk"]
    return kept, created


def check_quiet_rerun(sim, data, kept):
    """The fourth run, alone: it sends requests, writes nothing, changes nothing."""
    assert_sane_run(data["again_run"])
    log = data["again_log"]
    assert log, "the fourth run sent no request"
    assert writes(log) == [], "the fourth run wrote: %r" % writes(log)
    for result in task_results(load(data["again_dump"]), data["mode"]):
        assert crash_signs(result) == [] and not result.get("failed"), result
        assert not result["changed"], result
        assert result["duplicates_removed"] == []
    assert survivors(results_of(sim, data["vdn"]), data["items"]) == kept


def test_three_overlapping_runs_one_result_per_text(sim, overlapping):
    data = overlapping["processes"]
    kept, created = check_race(data)
    creates = [r for r in data["log"] if r["call"] == "ob_result.create"]
    assert len(creates) > len(data["items"]), "no text was created twice: the runs did not overlap"
    assert all(r["returnCode"] == OK for r in creates)
    assert len(created) == len(creates)
    check_quiet_rerun(sim, data, kept)


def test_three_hosts_sharing_a_vdn_with_result_codes(sim, overlapping):
    data = overlapping["forks"]
    kept, _created = check_race(data)
    creates = [r for r in data["log"] if r["call"] == "ob_result.create"]
    # The server refuses a second result with the same code: the runs that lost converge on it.
    refused = [r for r in creates if r["returnCode"] == "0200001"]
    assert refused, "no create was refused: the hosts did not overlap"
    assert len(creates) == len(data["items"]) + len(refused)
    assert [r for r in data["log"] if r["call"] == "ob_result.delete"] == []
    for path in data["dumps"].values():
        assert all(result["duplicates_removed"] == [] for result in load(path)["single"]["results"])
    check_quiet_rerun(sim, data, kept)


def test_three_overlapping_bulk_runs(sim, overlapping):
    data = overlapping["bulk"]
    kept, _created = check_race(data)
    creates = [r for r in data["log"] if r["call"] == "ob_result.create"]
    assert len(creates) > len(data["items"]), "the runs did not overlap"
    check_quiet_rerun(sim, data, kept)


def test_racers_with_different_result_codes(sim, overlapping):
    """Two hosts want one display text with different result codes: one result stays; the other task
    fails saying display texts must stay unique, having removed its own create if it made one."""
    data = overlapping["two codes"]
    assert_sane_run(data["runs"][0])
    outcomes = dict((code, load(path)["single"]["results"][0]) for code, path in data["dumps"].items())
    for result in outcomes.values():
        assert crash_signs(result) == [], result
    results = results_of(sim, TWO_CODES_VDN)
    assert len(results) == 1, results
    winner = results[0]["resultCode"]
    loser = TWO_CODES[1] if winner == TWO_CODES[0] else TWO_CODES[0]
    assert not outcomes[winner].get("failed") and outcomes[winner]["defId"] == results[0]["defId"]
    assert outcomes[loser].get("failed"), outcomes[loser]
    assert "must stay unique" in outcomes[loser]["msg"], outcomes[loser]["msg"]
    assert results[0]["defId"] in outcomes[loser]["msg"], outcomes[loser]["msg"]
    loser_dialect = ";".join(DIALECTS[TWO_CODES.index(loser)])
    log = data["log"]
    own = set(r["def_id"] for r in log if r["call"] == "ob_result.create" and dialect_of(r) == loser_dialect)
    deletes = [r for r in log if r["call"] == "ob_result.delete"]
    # Only the loser deletes, and only what it created itself.
    assert all(dialect_of(r) == loser_dialect and r["def_id"] in own for r in deletes), deletes
    assert sorted(outcomes[loser].get("duplicates_removed") or []) == sorted(r["def_id"] for r in deletes)


# ---------------------------------------------------------------- copies already on the VDN

# Listed in this order; numerically the lowest is "99", though "100" sorts first as text, and the
# last one has all 20 digits a defId may have.
IDENTICAL = ["100", "99", "10000000000000000002"]
DIFFERING = ["501", "77"]
COPY_TEXT = "Copy: the callee hung up"
CODES = ["00603", "00602"]


COPY_OTHER = {"displayResult": "Copy: another result", "obsCodes": ["00605"]}
COPY_SEEDS = {
    3201: [dict(displayResult=COPY_TEXT, obsCodes=CODES, defId=def_id) for def_id in IDENTICAL] + [COPY_OTHER],
    3202: [dict(displayResult=COPY_TEXT, obsCodes=CODES, defId="2" + def_id) for def_id in IDENTICAL[:2]]
    + [COPY_OTHER],
    3203: [dict(displayResult=COPY_TEXT, obsCodes=CODES, defId=DIFFERING[0]),
           dict(displayResult=COPY_TEXT, obsCodes=["00604"], defId=DIFFERING[1])],
    3204: [dict(displayResult=COPY_TEXT, obsCodes=CODES, defId="3" + DIFFERING[0]),
           dict(displayResult=COPY_TEXT, obsCodes=CODES, resultCode="CP1", defId="3" + DIFFERING[1])],
}
COPY_MODES = {3201: "single", 3202: "bulk", 3203: "single", 3204: "bulk"}


def seed_copies(sim):
    for vdn, seed in COPY_SEEDS.items():
        sim.admin("POST", "/results", {"vdnId": vdn, "results": seed})


def copies_dump(tmp, vdn):
    return tmp / ("copies-%d.json" % vdn)


def copies_hosts(tmp):
    """The hosts that meet the copies: identical ones (isales_ob_result on VDN 3201, isales_ob_results on
    3202), copies that differ (3203, 3204)."""
    item = {"display_result": COPY_TEXT, "obs_codes": CODES}
    return dict(("copies%d" % vdn, party(vdn, mode, [item], ["host"], copies_dump(tmp, vdn)))
                for vdn, mode in COPY_MODES.items())


@pytest.fixture(scope="module")
def copies(sim, overlapping):
    """(What each copies task returned by VDN, their log, the results by VDN); the run is part of overlapping."""
    data = overlapping["copies"]
    assert_sane_run(data["run"])
    outcomes = {}
    for vdn, mode in COPY_MODES.items():
        dump = load(copies_dump(data["tmp"], vdn))
        outcomes[vdn] = dump["single"]["results"][0] if mode == "single" else dump["bulk"]
    return outcomes, data["log"], dict((vdn, results_of(sim, vdn)) for vdn in COPY_SEEDS)


def test_identical_copies_are_reduced_to_the_lowest_defid(copies):
    outcomes, log, results = copies
    for vdn, ids in ((3201, IDENTICAL), (3202, ["2" + def_id for def_id in IDENTICAL[:2]])):
        outcome = outcomes[vdn]
        assert crash_signs(outcome) == [] and not outcome.get("failed"), outcome
        keep = min(ids, key=int)
        extras = sorted(set(ids) - {keep})
        assert outcome["changed"], outcome
        assert sorted(outcome["duplicates_removed"]) == extras, outcome
        assert [(r["defId"], r["displayResult"]) for r in results[vdn]] == [
            (keep, COPY_TEXT), (results[vdn][-1]["defId"], "Copy: another result")], results[vdn]
        vdn_log = [r for r in log if r["vdn_id"] == vdn]
        assert sorted(r["def_id"] for r in writes(vdn_log)) == extras
        assert all(r["call"] == "ob_result.delete" and r["returnCode"] == OK for r in writes(vdn_log))
        if vdn == 3201:
            assert outcome["defId"] == keep
        else:
            assert reported_def_ids(outcome, "bulk") == {keep}
        # The copies were read again a few times, about a second apart, before any was deleted:
        # a race between other runs may have been resolving itself.
        lists = [r["time"] for r in vdn_log if r["call"] == "ob_result.list" and r["time"] < min(
            r2["time"] for r2 in writes(vdn_log))]
        assert len(lists) >= 2 and lists[-1] - lists[0] >= 0.8, lists


def test_differing_copies_fail_naming_them(copies):
    outcomes, log, results = copies
    for vdn, ids in ((3203, DIFFERING), (3204, ["3" + def_id for def_id in DIFFERING])):
        outcome = outcomes[vdn]
        assert crash_signs(outcome) == [], outcome
        assert outcome.get("failed"), outcome
        assert "2 external results have the display text" in outcome["msg"], outcome["msg"]
        assert all(def_id in outcome["msg"] for def_id in ids), outcome["msg"]
        assert writes([r for r in log if r["vdn_id"] == vdn]) == []
        assert sorted(r["defId"] for r in results[vdn]) == sorted(ids)


# Two runs create the same texts at the same moment, and the first create of each is done but answered
# HTTP 502, so that neither knows its defId; each VDN is used by one mode.
LOST_ANSWERS_VDN = {"single": 3105, "bulk": 3106}


# The race is staged by timing (a barrier before each text, 300 ms per request); on a loaded machine one run
# may start its task so late that it reads the other's landed create and has nothing to create. Such an
# attempt is still checked in full, and the scenario is staged again on a fresh VDN, at most STAGINGS times.
STAGINGS = 3


@pytest.mark.parametrize("mode", sorted(LOST_ANSWERS_VDN))
def test_racers_whose_creates_lose_their_answers_leave_one_result_per_text(sim, tmp_path, mode):
    """Each run reads the VDN again after its 502, finds two identical copies (its own, landed, and the
    other run's) and keeps the lowest defId: one result per text, both tasks succeed, the next run is quiet."""
    staged = []
    for attempt in range(STAGINGS):
        vdn = LOST_ANSWERS_VDN[mode] + 10 * attempt
        staged.append(race_with_lost_answers(sim, tmp_path / ("attempt-%d" % attempt), mode, vdn))
        if staged[-1]:
            break
    assert staged[-1], "the race (both lost creates of one text) was not staged in %d attempts" % len(staged)


def race_with_lost_answers(sim, tmp_path, mode, vdn):
    """One staging of the race on vdn, checked in full; whether both lost creates were of one text."""
    tmp_path.mkdir(parents=True)
    items = texts(False)[:3]
    barrier = {"dir": str(tmp_path / "barrier"), "parties": 2}
    text_barrier = {"dir": str(tmp_path / "texts"), "parties": 2} if mode == "single" else None
    dumps = [tmp_path / ("racer-%d.json" % number) for number in (1, 2)]
    runs = [playbook_run(sim, tmp_path / ("racer-%d-inventory.json" % number),
                         {"racer": party(vdn, mode, items, dialect, dump, barrier, text_barrier)})
            for number, (dialect, dump) in enumerate(zip(DIALECTS, dumps), 1)]
    since = last_seq(sim)
    sim.admin("POST", "/faults", {"faults": [{"call": "ob_result.create", "kind": "status", "status": 502, "act": True,
                                              "count": 2}]})
    sim.admin("POST", "/config", {"latency_ms": LATENCY_MS})
    try:
        finished = run_playbooks_at_once(runs)
    finally:
        sim.admin("POST", "/config", {"latency_ms": 0})
        sim.admin("DELETE", "/faults")
    log = [record for record in requests_since(sim, since) if record["vdn_id"] == vdn]
    for run in finished:
        assert_sane_run(run)

    lost = [r for r in log if r["call"] == "ob_result.create" and r["status"] == 502]
    assert len(lost) == 2 and all(r["performed"] and r["def_id"] for r in lost), lost
    kept = survivors(results_of(sim, vdn), items)
    wanted = set(result["defId"] for result in kept.values())
    created = set(r["def_id"] for r in log if r["call"] == "ob_result.create" and r["def_id"])
    deletes = [r for r in log if r["call"] == "ob_result.delete"]
    assert [r for r in deletes if r["def_id"] in wanted] == [], "a survivor was deleted"
    assert sorted(r["def_id"] for r in deletes if r["returnCode"] == OK) == sorted(created - wanted)
    assert all(r["returnCode"] in (OK, "02000007") for r in deletes), deletes
    removed = set()
    for dump in dumps:
        for result in task_results(load(dump), mode):
            assert crash_signs(result) == [] and not result.get("failed"), result
            assert reported_def_ids(result, mode) <= wanted, result
            removed.update(result["duplicates_removed"])
    assert removed == created - wanted, "every copy deleted is reported by a task that deleted it"

    again = tmp_path / "again.json"
    rerun = run_playbook(*playbook_run(sim, tmp_path / "again-inventory.json",
                                       {"again": party(vdn, mode, items, ["host"], again)}))
    assert_sane_run(rerun)
    for result in task_results(load(again), mode):
        assert not result.get("failed") and not result["changed"] and result["duplicates_removed"] == [], result
    assert survivors(results_of(sim, vdn), items) == kept
    return len(set(json.loads(r["body"])["displayResult"] for r in lost)) == 1
