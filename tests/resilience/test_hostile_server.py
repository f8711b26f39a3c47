# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Servers that lie or mislead, and input that would make a server do something else than asked.

One run of playbooks/steps.yml goes through every case, each on its own VDN, arranging the simulator
before each step (config keys, fault rules); a second simulator serves the API under a percent-encoded
path prefix. Then every test checks its steps: what the module returned, and the requests the
simulator logged while it ran.

* totalCount too low (10 over 60 results) or too high (100000): nothing is created twice, and a
  handful of list requests reads the 60 results, not thousands.
* a listed defId of "../../../../x/y": a clean failure naming the call; no request ever leaves the
  VDN's part of the API.
* overridden with an OBS code typo, or a display text the server refuses: nothing is deleted; with a
  display text that starts or ends with a space: no request at all (a server that trims texts would
  store another text, and every run would create it again); results it deletes come with their codes.
* a ca_path that does not exist: a failure naming ca_path, before any request.
* http:// and validate_certs: false: a warning that names the replay risk.
* a truncated answer to a read is read again; a write answered 200 without returnCode is reconciled.
* a URL whose path prefix is percent-encoded is sent and signed as written.
"""

from __future__ import absolute_import, division, print_function

import re

import pytest

import simctl
from conftest import crash_signs, output_crash_signs, results_of, run_steps

OK = "0200000"
API_PREFIX = "/rest/isales/v1/openapi/campaigns"
PREFIX = "/my%20gw"
HOSTILE = "../../../../x/y"
CROWD = ["Crowd %02d" % number for number in range(1, 61)]
CROWD_CODES = ["00602"]
REFUSED_TEXT = "X" * 300    # longer than the server accepts

SEEDS = {
    5101: [{"displayResult": text, "obsCodes": CROWD_CODES} for text in CROWD],
    5102: [{"displayResult": text, "obsCodes": CROWD_CODES} for text in CROWD],
    5103: [{"displayResult": "Fine", "obsCodes": ["00602"]},
           {"displayResult": "Hostile", "obsCodes": ["00602"], "defId": HOSTILE}],
    5104: [{"displayResult": "Keep", "obsCodes": ["00602"]}, {"displayResult": "Drop", "obsCodes": ["00603"]}],
    5105: [{"displayResult": "Keep", "obsCodes": ["00602"]}, {"displayResult": "Drop", "obsCodes": ["00603"]}],
    5106: [{"displayResult": "Keep", "obsCodes": ["00602"]}],
    5108: [{"displayResult": "Keep", "obsCodes": ["00602"]},
           {"displayResult": "Drop one", "obsCodes": ["00604", "00603"]},
           {"displayResult": "Drop two", "obsCodes": ["00605"]}],
}


def single(name, vdn, display, obs_codes=("00602",), **params):
    params.update(vdn_id=vdn, display_result=display)
    if params.get("state", "present") == "present":
        params["obs_codes"] = list(obs_codes)
    return {"name": name, "module": "isales_ob_result", "params": params}


def bulk(name, vdn, config, **params):
    params.update(vdn_id=vdn, config=config)
    return {"name": name, "module": "isales_ob_results", "params": params}


def info(name, vdn, **params):
    params.update(vdn_id=vdn)
    return {"name": name, "module": "isales_ob_result_info", "params": params}


def entry(text, codes=("00602",)):
    return {"display_result": text, "obs_codes": list(codes)}


def with_(step, **arrange):
    step.update(arrange)
    return step


def steps_for(sim, prefixed, missing_ca):
    port = sim.info["port"]
    crowd = [entry(text, CROWD_CODES) for text in CROWD]
    no_rc = {"call": "ob_result.create", "kind": "rewrite", "unset": ["returnCode", "resultCode"]}
    on_prefixed = dict(url=prefixed.url, ca_path=prefixed.ca_path)
    return [
        with_(bulk("low bulk", 5101, crowd), config={"total_count": 10}),
        single("low single page 2", 5101, "Crowd 55", CROWD_CODES),
        single("low single last", 5101, "Crowd 60", CROWD_CODES),
        info("low info", 5101, include_obs_codes=False),
        with_(bulk("high bulk", 5102, crowd), config={"total_count": 100000}),
        single("high single", 5102, "Crowd 55", CROWD_CODES),
        with_(bulk("hostile bulk", 5103, [entry("Fine")], state="overridden"), config={"total_count": None}),
        single("hostile single", 5103, "Fine"),
        single("hostile absent", 5103, "Hostile", state="absent"),
        info("hostile info", 5103, include_obs_codes=False),
        bulk("typo", 5104, [entry("Keep"), entry("New", ["0O603"])], state="overridden"),
        bulk("refused text", 5105, [entry("Keep"), entry(REFUSED_TEXT)], state="overridden"),
        bulk("trailing bulk", 5106, [entry("Trailing ")], state="overridden"),
        bulk("leading bulk", 5107, [entry(" Leading")], state="merged"),
        single("trailing single", 5107, "Trailing "),
        bulk("deleted codes", 5108, [entry("Keep")], state="overridden"),
        single("missing ca single", 5109, "Missing CA", ca_path=missing_ca),
        bulk("missing ca bulk", 5109, [entry("Missing CA")], ca_path=missing_ca),
        info("missing ca info", 5109, ca_path=missing_ca),
        single("plain http", 5110, "Plain", url="http://localhost:%d" % port, retries=0, timeout=2),
        single("insecure", 5111, "Insecure", validate_certs=False),
        with_(single("trimming server", 5112, "Trim me "), config={"trim_display": True}),
        with_(single("truncated list", 5113, "Truncated"), config={"trim_display": False},
              faults=[{"call": "ob_result.list", "kind": "truncated", "count": 1}]),
        with_(single("no returnCode single", 5114, "No returnCode"), faults=[no_rc]),
        with_(bulk("no returnCode bulk", 5115, [entry("No returnCode 1"), entry("No returnCode 2")]),
              faults=[dict(no_rc, count=2)]),
        with_(single("prefix create", 5116, "Behind a gateway", **on_prefixed), faults=[]),
        single("prefix again", 5116, "Behind a gateway", **on_prefixed),
        bulk("prefix bulk", 5116, [entry("Behind a gateway 2")], **on_prefixed),
        info("prefix info", 5116, **on_prefixed),
        single("prefix delete", 5116, "Behind a gateway", state="absent", **on_prefixed),
    ]


@pytest.fixture(scope="module")
def prefixed(tmp_path_factory, secret):
    """A simulator that serves the API under the percent-encoded prefix /my%20gw."""
    with simctl.Simulator(str(tmp_path_factory.mktemp("sim-prefix")), secret,
                          args=["--path-prefix", PREFIX]) as server:
        yield server


@pytest.fixture(scope="module")
def hostile(sim, prefixed, tmp_path_factory):
    """Every step, in one run: (the run, {name: Step}, the main simulator's log, the prefixed one's)."""
    tmp = tmp_path_factory.mktemp("hostile")
    sim.admin("POST", "/reset")
    prefixed.admin("POST", "/reset")
    for vdn, seed in SEEDS.items():
        sim.admin("POST", "/results", {"vdnId": vdn, "results": seed})
    missing_ca = str(tmp / "no-such-dir" / "ca.pem")
    run, steps = run_steps(sim, steps_for(sim, prefixed, missing_ca), tmp / "steps")
    assert run.returncode == 0, run.output[-4000:]
    return run, steps, sim.admin("GET", "/requests")["requests"], prefixed.admin("GET", "/requests")["requests"]


def ok(step, changed=None):
    outcome = step.outcome
    assert crash_signs(outcome) == [], (step.name, outcome)
    assert not outcome.get("failed"), (step.name, outcome.get("msg"))
    if changed is not None:
        assert outcome["changed"] == changed, (step.name, outcome)
    return outcome


def failed(step, *words):
    outcome = step.outcome
    assert crash_signs(outcome) == [], (step.name, outcome)
    assert outcome.get("failed"), (step.name, outcome)
    for word in words:
        assert word in outcome["msg"], (step.name, word, outcome["msg"])
    return outcome


def test_the_run_is_clean(hostile):
    run, steps, _log, _prefixed_log = hostile
    assert output_crash_signs(run) == [], run.output[-4000:]
    assert len(steps) == 30, sorted(steps)


def test_no_request_outside_the_vdn_api(hostile):
    """Whatever the server said, every request went to the API of the VDN its task manages."""
    _run, _steps, log, prefixed_log = hostile
    assert log
    for record in log:
        assert record["call"] != "unknown", record
        assert record["path"].startswith("%s/%s/" % (API_PREFIX, record["vdn_id"])), record
        assert HOSTILE not in record["path"] and "/x/y" not in record["path"], record
    for record in prefixed_log:
        assert record["call"] != "unknown", record
        assert record["path"].startswith("%s%s/%s/" % (PREFIX, API_PREFIX, record["vdn_id"])), record


def test_total_count_too_low_creates_nothing(sim, hostile):
    _run, steps, _log, _prefixed_log = hostile
    for name in ("low bulk", "low single page 2", "low single last"):
        outcome = ok(steps[name], changed=False)
        assert steps[name].writes == [], (name, steps[name].writes)
        # Every page was read, whatever totalCount said.
        assert len(steps[name].calls("ob_result.list")) >= 2, (name, steps[name].requests)
        assert outcome.get("created", []) == []
    assert len(steps["low bulk"].outcome["unchanged"]) == 60
    found = ok(steps["low info"])["ob_results"]
    assert [item["display_result"] for item in found] == CROWD
    assert [r["displayResult"] for r in results_of(sim, 5101)] == CROWD


def test_total_count_too_high_takes_a_handful_of_requests(hostile):
    _run, steps, _log, _prefixed_log = hostile
    high_bulk = steps["high bulk"]
    ok(high_bulk, changed=False)
    assert len(high_bulk.outcome["unchanged"]) == 60 and high_bulk.writes == []
    lists = high_bulk.calls("ob_result.list")
    assert 2 <= len(lists) <= 10, "%d list requests for 60 results" % len(lists)
    assert len(high_bulk.calls("obs_code.list")) <= 10
    high_single = steps["high single"]
    ok(high_single, changed=False)
    assert high_single.writes == [] and 2 <= len(high_single.calls("ob_result.list")) <= 3, high_single.requests


def test_a_hostile_def_id_fails_cleanly(sim, hostile):
    _run, steps, _log, _prefixed_log = hostile
    for name in ("hostile bulk", "hostile single", "hostile absent", "hostile info"):
        outcome = failed(steps[name], "defId", "queryOBSResults")
        assert outcome["error_kind"] == "parse", (name, outcome)
        assert "queryOBSResults" in outcome.get("call", ""), (name, outcome)
        assert steps[name].writes == [] and steps[name].calls("ob_result.detail") == [], (name, steps[name].requests)
    assert [r["displayResult"] for r in results_of(sim, 5103)] == ["Fine", "Hostile"]
    assert results_of(sim, 5103)[1]["defId"] == HOSTILE


def test_overridden_with_an_obs_code_typo_writes_nothing(sim, hostile):
    _run, steps, _log, _prefixed_log = hostile
    failed(steps["typo"], "0O603")
    assert steps["typo"].writes == []
    assert [r["displayResult"] for r in results_of(sim, 5104)] == ["Keep", "Drop"]


def test_overridden_with_a_refused_display_text_deletes_nothing(sim, hostile):
    _run, steps, _log, _prefixed_log = hostile
    outcome = failed(steps["refused text"])
    assert steps["refused text"].calls("ob_result.delete") == [], steps["refused text"].writes
    assert outcome.get("deleted", []) == []
    assert [(r["displayResult"], r["obsCodes"]) for r in results_of(sim, 5105)] == [
        ("Keep", ["00602"]), ("Drop", ["00603"])]


def test_display_texts_with_outer_spaces_are_refused_before_any_request(sim, hostile):
    _run, steps, log, _prefixed_log = hostile
    for name in ("trailing bulk", "leading bulk", "trailing single", "trimming server"):
        failed(steps[name], "display_result", "whitespace")
        assert steps[name].requests == [], (name, steps[name].requests)
    assert [r for r in log if r["vdn_id"] in (5106, 5107, 5112)] == []
    assert [r["displayResult"] for r in results_of(sim, 5106)] == ["Keep"]
    assert results_of(sim, 5107) == [] and results_of(sim, 5112) == []


def test_overridden_returns_the_codes_of_what_it_deleted(sim, hostile):
    _run, steps, _log, _prefixed_log = hostile
    outcome = ok(steps["deleted codes"], changed=True)
    deleted = sorted((item["display_result"], item["obs_codes"]) for item in outcome["deleted"])
    assert deleted == [("Drop one", ["00603", "00604"]), ("Drop two", ["00605"])], outcome["deleted"]
    assert [r["displayResult"] for r in results_of(sim, 5108)] == ["Keep"]


def test_a_missing_ca_path_fails_before_any_request(hostile):
    _run, steps, log, _prefixed_log = hostile
    for name in ("missing ca single", "missing ca bulk", "missing ca info"):
        failed(steps[name], "ca_path")
        assert steps[name].requests == []
    assert [r for r in log if r["vdn_id"] == 5109] == []


def shown_warnings(run):
    """The warnings an ansible-playbook run showed (on stderr, maybe wrapped), each on one line."""
    text = " ".join(run.output.split())
    return [block.strip() for block in re.findall(r"\[WARNING\]:(.*?)(?=\[WARNING\]|\[ERROR\]|TASK \[|PLAY |$)", text)]


@pytest.mark.parametrize("name, what", [("plain http", "http://localhost:"), ("insecure", "validate_certs")])
def test_replay_risk_warnings(hostile, name, what):
    run, steps, _log, _prefixed_log = hostile
    step = steps[name]
    assert crash_signs(step.outcome) == [], step.outcome
    warnings = [text for text in step.outcome.get("warnings", []) if "replay" in text.lower()]
    assert len(warnings) == 1 and what in warnings[0], (name, step.outcome.get("warnings"))
    shown = [text for text in shown_warnings(run) if "replay" in text.lower() and what in text]
    assert shown, (name, shown_warnings(run))
    if name == "insecure":
        ok(step, changed=True)
    # No other step warned about it.
    others = [other for other in steps.values() if other.name not in ("plain http", "insecure")
              and any("replay" in text.lower() for text in other.outcome.get("warnings", []))]
    assert others == [], [other.name for other in others]


def test_a_truncated_list_answer_is_read_again(sim, hostile):
    _run, steps, _log, _prefixed_log = hostile
    step = steps["truncated list"]
    ok(step, changed=True)
    lists = step.calls("ob_result.list")
    assert lists[0]["fault"] == "truncated" and len(lists) >= 2, lists
    assert [r["call"] for r in step.writes] == ["ob_result.create"]
    assert [r["displayResult"] for r in results_of(sim, 5113)] == ["Truncated"]


def test_a_write_answered_without_return_code_is_reconciled(sim, hostile):
    _run, steps, _log, _prefixed_log = hostile
    step = steps["no returnCode single"]
    outcome = ok(step, changed=True)
    creates = step.calls("ob_result.create")
    assert len(creates) == 1 and creates[0]["fault"] == "rewrite" and creates[0]["returnCode"] == OK, creates
    results = results_of(sim, 5114)
    assert [(r["defId"], r["displayResult"]) for r in results] == [(outcome["defId"], "No returnCode")]

    step = steps["no returnCode bulk"]
    outcome = ok(step, changed=True)
    creates = step.calls("ob_result.create")
    assert len(creates) == 2 and all(r["fault"] == "rewrite" and r["returnCode"] == OK for r in creates), creates
    results = results_of(sim, 5115)
    assert sorted(r["displayResult"] for r in results) == ["No returnCode 1", "No returnCode 2"]
    assert sorted(item["defId"] for item in outcome["created"]) == sorted(r["defId"] for r in results)


def test_a_percent_encoded_path_prefix_is_sent_as_written(prefixed, hostile):
    _run, steps, _log, prefixed_log = hostile
    assert ok(steps["prefix create"], changed=True)["defId"]
    assert ok(steps["prefix again"], changed=False)["defId"] == steps["prefix create"].outcome["defId"]
    ok(steps["prefix bulk"], changed=True)
    found = ok(steps["prefix info"])["ob_results"]
    assert sorted(item["display_result"] for item in found) == ["Behind a gateway", "Behind a gateway 2"]
    ok(steps["prefix delete"], changed=True)
    assert [r["displayResult"] for r in results_of(prefixed, 5116)] == ["Behind a gateway 2"]
    assert prefixed_log, "nothing reached the simulator behind the prefix"
    assert all(r["auth"] == "ok" and r["status"] == 200 and r["returnCode"] == OK for r in prefixed_log), [
        (r["path"], r["auth"], r["status"]) for r in prefixed_log if r["auth"] != "ok" or r["status"] != 200][:3]
    assert sorted(r["call"] for r in prefixed_log if r["call"] in ("ob_result.create", "ob_result.delete")) == [
        "ob_result.create", "ob_result.create", "ob_result.delete"]
