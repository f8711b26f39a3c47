# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""isales_retry_policies against the simulator in-process (isales_fake): the requests of a rollout, what the
server holds afterwards, re-runs, check and diff mode, skipped and refused campaigns, the selection, failures
that concern one campaign and failures that stop the rollout, and the option checks."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import threading
import time

import pytest

from ansible_collections.huawei.isales.plugins.module_utils._retry_policy import lenient
from ansible_collections.huawei.isales.plugins.modules import isales_retry_policies
from ansible_collections.huawei.isales.tests.unit.plugins.modules.isales_fake import BASE, campaigns, isales_simulator

SECRET = "unit-secret-rollout-0123456789"
VDN = 12

C1 = {"campaignId": "C1", "name": "Spring", "status": 2, "retryPolicy": {
    "retryPolicyId": "1", "policyType": 0, "busiPolicy": "kept", "vendorField": {"x": 1}, "noRetryPolicy": ["007"],
    "policyJson": "{'type':0,'retryDay':2,'retryTimes':3,'vendorExtra':{'a':1},'noRetryPolicy':['007']}"}}
C2 = {"campaignId": "C2", "name": "Autumn", "status": 3, "retryPolicy": {
    "retryPolicyId": "2", "policyType": 0, "noRetryPolicy": "008",
    "policyJson": json.dumps({"type": 1, "policy": {"retryDay": 1, "retryTimes": 2, "results": [
        {"result": 4, "retryNumber": 3, "callInterval": 600}]}, "noRetryPolicy": ["008"]})}}
C3 = {"campaignId": "C3", "name": "Winter", "status": 4, "retryPolicy": {
    "retryPolicyId": "3", "policyType": 0, "noRetryPolicy": '["007","009"]',
    "policyJson": '{"type":0,"noRetryPolicy":["007","009"]}'}}
N1 = {"campaignId": "N1", "name": "Numbers", "status": 2, "retryPolicy": {
    "retryPolicyId": "4", "policyType": 1,
    "policyJson": "[{'dataType':'SI','type':1,'policy':[{'result':4,'retryNumber':3,'callInterval':600}]}]"}}
P0 = {"campaignId": "P0", "name": "Bare", "status": 3}
ORDER = ["C1", "C2", "C3", "N1", "P0"]
NUMBER_TYPE_REASON = "the campaign has a number-type retry policy (policyType 1)"
NO_POLICY_REASON = "the campaign has no retry policy"


def args(**extra):
    value = dict(url=BASE, access_key="ak", secret_key=SECRET, vdn_id=VDN, all_campaigns=True,
                 no_retry_result_codes=["009"])
    value.update(extra)
    return dict((key, item) for key, item in value.items() if item is not None)   # None: the option not given


@pytest.fixture
def server(fake):
    """VDN 12: four external results (one without a result code) and five campaigns - C1 (started, 007, with
    fields the collection does not know), C2 (suspended, 2025 layout, 008 as comma-separated text), C3
    (completed, already 007 and 009), N1 (a number-type policy) and P0 (no policy)."""
    fake.seed(VDN, ("Do not call", "007", ["00601"]), ("Wrong number", "008", ["00602"]),
              ("Deceased", "009", ["00603"]), ("No code", None, ["00604"]))
    fake.seed_campaigns(VDN, C1, C2, C3, N1, P0)
    return fake


@pytest.fixture
def run(run_module):
    def runner(**extra):
        result, failed = run_module(isales_retry_policies.main, args(**extra))
        assert SECRET not in json.dumps(result)
        return result, failed
    return runner


def log(fake):
    """(call, campaign id or None) of every request, in order."""
    out = []
    for record in fake.sim.log.since(0):
        path = record["path"].split("?")[0]
        out.append((record["call"], path.rsplit("/", 1)[-1] if record["call"].startswith("retry_policy.") else None))
    return out


def names(fake):
    return [call for call, _campaign in log(fake)]


def document(fake, campaign_id):
    return lenient(fake.policy(VDN, campaign_id)["policyJson"])


def codes_of(fake, campaign_id):
    return document(fake, campaign_id)["noRetryPolicy"]


def by_id(result):
    return dict((item["campaign_id"], item) for item in result["campaigns"])


def outcomes(result):
    return dict((item["campaign_id"], item["outcome"]) for item in result["campaigns"])


def refuse(fake, call, campaign_id, code="0200011", desc="refused by the test", count=1):
    fake.faults.add([{"call": call, "kind": "rewrite", "act": False, "count": count,
                      "set": isales_simulator.answer(code, desc), "where": {"campaignId": campaign_id}}])


# -- a rollout over every campaign -----------------------------------------------------------------------


def test_rollout_over_every_campaign_sends_the_documented_requests(server, run):
    result, failed = run(max_workers=1)
    assert not failed and result["changed"]
    # Over every campaign, each campaign is read, planned and written in one go (the write planned from a read
    # one round trip old): its read, then for a changed campaign one write, its read-back and its settle read.
    expected = [("campaign.list", None), ("ob_result.list", None)]
    for ident in ORDER:
        expected.append(("retry_policy.get", ident))
        if ident in ("C1", "C2"):
            expected += [("retry_policy.set", ident), ("retry_policy.get", ident), ("retry_policy.get", ident)]
    assert log(server) == expected, "one write, its read-back and its settle read per changed campaign"
    assert result["api_requests"] == 2 + 5 + 2 * 3
    assert result["counts"] == {"changed": 2, "unchanged": 1, "skipped": 2, "failed": 0, "not_attempted": 0}
    assert outcomes(result) == {"C1": "changed", "C2": "changed", "C3": "unchanged", "N1": "skipped",
                                "P0": "skipped"}
    assert [item["campaign_id"] for item in result["campaigns"]] == ORDER, "in the campaign list's order"


def test_rollout_in_parallel_sends_the_same_number_of_requests(server, run):
    result, failed = run(max_workers=8)
    assert not failed and result["counts"]["changed"] == 2
    sent = names(server)
    assert sent[:2] == ["campaign.list", "ob_result.list"]
    assert sent.count("campaign.list") == 1 and sent.count("ob_result.list") == 1
    assert sent.count("retry_policy.get") == 5 + 2 * 2 and sent.count("retry_policy.set") == 2
    assert sorted(ident for call, ident in log(server) if call == "retry_policy.set") == ["C1", "C2"]
    assert result["api_requests"] == 13


def test_rollout_keeps_every_key_the_read_returned(server, run):
    result, failed = run()
    assert not failed and result["counts"]["changed"] == 2
    bodies = dict((call[3]["retryPolicyId"], call[3]) for call in server.writes())
    assert set(bodies) == {"1", "2"}
    first = bodies["1"]
    assert first["busiPolicy"] == "kept" and first["vendorField"] == {"x": 1} and first["policyType"] == 0
    assert first["noRetryPolicy"] == ["007", "009"], "the data field in the form it was read (an array)"
    assert json.loads(first["policyJson"]) == {"type": 0, "retryDay": 2, "retryTimes": 3, "vendorExtra": {"a": 1},
                                               "noRetryPolicy": ["007", "009"]}
    assert bodies["2"]["noRetryPolicy"] == "008,009", "comma-separated text stays comma-separated text"
    # What the server holds now: the documents with every key, the kept fields, the new codes.
    assert document(server, "C1") == {"type": 0, "retryDay": 2, "retryTimes": 3, "vendorExtra": {"a": 1},
                                      "noRetryPolicy": ["007", "009"]}
    assert server.policy(VDN, "C1")["busiPolicy"] == "kept" and server.policy(VDN, "C1")["retryPolicyId"] == "1"
    assert document(server, "C2") == {"type": 1, "policy": {"retryDay": 1, "retryTimes": 2, "results": [
        {"result": 4, "retryNumber": 3, "callInterval": 600}]}, "noRetryPolicy": ["008", "009"]}
    assert codes_of(server, "C3") == ["007", "009"]
    assert server.policy(VDN, "N1") == N1["retryPolicy"], "a skipped campaign is never written"
    assert server.policy(VDN, "P0") is None


def test_rollout_reports_each_campaign(server, run):
    result, failed = run()
    assert not failed
    found = by_id(result)
    assert found["C1"] == {
        "campaign_id": "C1", "campaign_name": "Spring", "campaign_status": "started", "outcome": "changed",
        "changed": True, "skipped": False, "failed": False, "reason": None,
        "retry_policy": {"policy_type": "global", "strategy": "common", "retry_days": 2, "retry_times_per_day": 3,
                         "result_policies": [], "no_retry_result_codes": ["007", "009"],
                         "no_retry_results": [
                             {"result_code": "007", "display_result": "Do not call", "defId": found["C1"]["retry_policy"]
                              ["no_retry_results"][0]["defId"]},
                             {"result_code": "009", "display_result": "Deceased", "defId": found["C1"]["retry_policy"]
                              ["no_retry_results"][1]["defId"]}]}}
    assert all(item["defId"] for item in found["C1"]["retry_policy"]["no_retry_results"])
    assert found["C2"]["campaign_status"] == "suspended" and found["C2"]["retry_policy"]["retry_days"] == 1
    assert found["C2"]["retry_policy"]["result_policies"] == [{"result": 4, "retry_number": 3, "call_interval": 600}]
    assert found["C3"]["campaign_status"] == "completed" and not found["C3"]["changed"]
    assert found["C3"]["reason"] is None and found["C3"]["retry_policy"]["no_retry_result_codes"] == ["007", "009"]
    assert found["N1"]["skipped"] and not found["N1"]["changed"] and not found["N1"]["failed"]
    assert NUMBER_TYPE_REASON in found["N1"]["reason"]
    assert found["N1"]["retry_policy"]["policy_type"] == "number_type"
    assert found["P0"]["skipped"] and NO_POLICY_REASON in found["P0"]["reason"]
    assert found["P0"]["retry_policy"] is None


def test_rerun_changes_nothing_and_writes_nothing(server, run):
    run()
    before = len(server.calls)
    result, failed = run(_ansible_diff=True)
    assert not failed and not result["changed"]
    assert server.writes()[2:] == [] and len(server.writes()) == 2
    assert names(server)[before:] == ["campaign.list", "ob_result.list"] + ["retry_policy.get"] * 5
    assert result["counts"] == {"changed": 0, "unchanged": 3, "skipped": 2, "failed": 0, "not_attempted": 0}
    assert result["diff"] == []


def test_check_mode_writes_nothing_and_predicts_the_real_outcomes(server, run):
    predicted, failed = run(_ansible_check_mode=True)
    assert not failed and predicted["changed"]
    assert server.writes() == []
    assert names(server) == ["campaign.list", "ob_result.list"] + ["retry_policy.get"] * 5
    assert codes_of(server, "C1") == ["007"] and server.policy(VDN, "C2")["noRetryPolicy"] == "008"
    done, failed = run()
    assert not failed
    assert predicted["counts"] == done["counts"]
    assert predicted["campaigns"] == done["campaigns"], "the same outcomes, reasons and policies as the real run"


def test_check_mode_on_a_converged_vdn_predicts_no_change(server, run):
    run()
    result, failed = run(_ansible_check_mode=True)
    assert not failed and not result["changed"] and result["counts"]["changed"] == 0


def test_diff_has_one_entry_per_changed_campaign(server, run):
    result, failed = run(_ansible_diff=True, max_workers=1)
    assert not failed
    diff = result["diff"]
    assert isinstance(diff, list) and len(diff) == 2
    assert [entry["before_header"] for entry in diff] == ["campaign C1 (Spring)", "campaign C2 (Autumn)"]
    assert [entry["after_header"] for entry in diff] == ["campaign C1 (Spring)", "campaign C2 (Autumn)"]
    assert diff[0]["before"]["no_retry_result_codes"] == ["007"]
    assert diff[0]["after"]["no_retry_result_codes"] == ["007", "009"]
    assert diff[1]["before"]["no_retry_result_codes"] == ["008"]
    assert diff[1]["after"]["no_retry_result_codes"] == ["008", "009"]
    assert diff[0]["after"]["retry_days"] == 2, "the whole policy view, not only the codes"


def test_check_mode_diff_shows_the_planned_policies(server, run):
    result, failed = run(_ansible_diff=True, _ansible_check_mode=True)
    assert not failed and len(result["diff"]) == 2 and not server.writes()
    assert result["diff"][1]["after"]["no_retry_result_codes"] == ["008", "009"]


def test_no_diff_key_without_diff_mode(server, run):
    result, failed = run()
    assert not failed and "diff" not in result


def test_display_results_are_resolved_to_their_codes(server, run):
    result, failed = run(no_retry_result_codes=None, no_retry_display_results=["Deceased"])
    assert not failed and result["counts"]["changed"] == 2
    assert codes_of(server, "C1") == ["007", "009"]


def test_state_absent_takes_the_code_out_of_every_campaign(server, run):
    result, failed = run(no_retry_result_codes=["007"], state="absent")
    assert not failed
    assert outcomes(result) == {"C1": "changed", "C2": "unchanged", "C3": "changed", "N1": "skipped",
                                "P0": "skipped"}
    assert codes_of(server, "C1") == [] and codes_of(server, "C3") == ["009"]
    assert server.policy(VDN, "C2")["noRetryPolicy"] == "008", "unchanged: never written"


def test_purge_sets_the_list_exactly(server, run):
    result, failed = run(no_retry_result_codes=["008"], purge=True)
    assert not failed
    assert outcomes(result)["C2"] == "unchanged"
    assert codes_of(server, "C1") == ["008"] and codes_of(server, "C3") == ["008"]


def test_clear_all_empties_every_global_policy(server, run):
    result, failed = run(no_retry_result_codes=[], purge=True, clear_all=True)
    assert not failed
    assert result["counts"] == {"changed": 3, "unchanged": 0, "skipped": 2, "failed": 0, "not_attempted": 0}
    assert [codes_of(server, ident) for ident in ("C1", "C2", "C3")] == [[], [], []]
    assert server.policy(VDN, "N1") == N1["retryPolicy"]


# -- the selection ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("status,code,selected", [
    ("started", "2", ["C1", "N1"]),
    ("suspended", "3", ["C2", "P0"]),
    ("completed", "4", ["C3"]),
    ("all", "0", ORDER),
])
def test_status_narrows_the_rollout(server, run, status, code, selected):
    result, failed = run(status=status)
    assert not failed
    assert [item["campaign_id"] for item in result["campaigns"]] == selected
    listing = [record for record in server.sim.log.since(0) if record["call"] == "campaign.list"]
    assert len(listing) == 1 and listing[0]["query"]["status"] == code
    assert sorted(ident for call, ident in log(server) if call == "retry_policy.get" and ident) == sorted(
        selected + [ident for ident in ("C1", "C2") if ident in selected] * 2)
    written = sorted(ident for call, ident in log(server) if call == "retry_policy.set")
    assert written == [ident for ident in ("C1", "C2") if ident in selected]


def test_status_suspended_leaves_the_other_campaigns_alone(server, run):
    result, failed = run(status="suspended")
    assert not failed and result["counts"] == {"changed": 1, "unchanged": 0, "skipped": 1, "failed": 0,
                                               "not_attempted": 0}
    assert codes_of(server, "C1") == ["007"] and codes_of(server, "C2") == ["008", "009"]


def test_ids_and_names_together_handle_each_campaign_once(server, run):
    result, failed = run(all_campaigns=None, campaign_ids=["C1", "C3", "C1"], campaign_names=["Spring", "Autumn"])
    assert not failed
    assert sorted(item["campaign_id"] for item in result["campaigns"]) == ["C1", "C2", "C3"]
    assert len(result["campaigns"]) == 3
    assert sorted(ident for call, ident in log(server) if call == "retry_policy.set") == ["C1", "C2"]
    # One read per campaign, named twice or not, all before the first write; each campaign to change is read
    # again just before its write (2), and its write is read back and settled (2 * 2).
    assert names(server).count("retry_policy.get") == 3 + 2 + 2 * 2
    assert names(server).count("campaign.list") == 1
    assert codes_of(server, "C2") == ["008", "009"]


def test_named_campaigns_are_reported_in_the_campaign_lists_order(server, run):
    result, failed = run(all_campaigns=None, campaign_ids=["C3"], campaign_names=["Autumn", "Spring"])
    assert not failed
    assert [item["campaign_id"] for item in result["campaigns"]] == ["C1", "C2", "C3"]


def test_named_campaigns_ignore_status_of_the_list(server, run):
    run(all_campaigns=None, campaign_ids=["C3"])
    listing = [record for record in server.sim.log.since(0) if record["call"] == "campaign.list"]
    assert listing[0]["query"]["status"] == "0", "named campaigns are looked up among every status"


def test_unknown_ids_and_names_fail_before_any_write(server, run):
    server.seed_campaigns(VDN, {"campaignId": "C9", "name": "Spring", "status": 3, "retryPolicy": C3["retryPolicy"]})
    result, failed = run(all_campaigns=None, campaign_ids=["C1", "X1"], campaign_names=["Nobody", "Spring", "Autumn"])
    assert failed
    assert "campaign_ids: VDN 12 has no campaign X1" in result["msg"]
    assert "campaign_names: no campaign is named 'Nobody'" in result["msg"]
    assert "campaign_names: 2 campaigns are named 'Spring': C1 (started), C9 (suspended)" in result["msg"]
    assert "Nothing was written" in result["msg"]
    assert names(server) == ["campaign.list"], "refused before the results or any policy are read"
    assert server.writes() == []


@pytest.mark.parametrize("extra,fragment", [
    (dict(campaign_ids=["X1"]), "VDN 12 has no campaign X1"),
    (dict(campaign_names=["Nobody"]), "no campaign is named 'Nobody'"),
])
def test_each_unknown_selection_fails_alone(server, run, extra, fragment):
    result, failed = run(all_campaigns=None, **extra)
    assert failed and fragment in result["msg"] and server.writes() == []


@pytest.mark.parametrize("extra,who,why", [
    (dict(campaign_ids=["C1", "N1", "C2"]), "campaign N1 (Numbers)", NUMBER_TYPE_REASON),
    (dict(campaign_names=["Spring", "Bare"]), "campaign P0 (Bare)", NO_POLICY_REASON),
    (dict(campaign_ids=["P0"], campaign_names=["Numbers", "Autumn"]), "campaign N1 (Numbers)", NUMBER_TYPE_REASON),
])
def test_naming_a_campaign_that_would_be_skipped_fails_before_any_write(server, run, extra, who, why):
    result, failed = run(all_campaigns=None, **extra)
    assert failed and "nothing was written" in result["msg"]
    assert "%s: %s" % (who, why) in result["msg"]
    assert server.writes() == [], "not even the campaigns that could have been written"
    assert names(server).count("retry_policy.set") == 0
    assert codes_of(server, "C1") == ["007"]
    assert any(item["campaign_id"] == who.split()[1] for item in result["campaigns"])


def test_the_refusal_of_a_named_campaign_returns_counts_and_campaigns(server, run):
    result, failed = run(all_campaigns=None, campaign_ids=["C1", "N1"])
    assert failed and server.writes() == []
    assert "counts" in result
    assert all("outcome" in item and "campaign_status" in item for item in result["campaigns"])


def test_check_mode_predicts_the_refusal_of_a_named_campaign(server, run):
    result, failed = run(all_campaigns=None, campaign_ids=["C1", "N1"], _ansible_check_mode=True)
    assert failed and "nothing was written: campaign N1 (Numbers)" in result["msg"] and server.writes() == []


def test_naming_both_kinds_lists_both(server, run):
    result, failed = run(all_campaigns=None, campaign_ids=["N1", "P0"])
    assert failed and "campaign N1 (Numbers)" in result["msg"] and "campaign P0 (Bare)" in result["msg"]
    assert sorted(item["campaign_id"] for item in result["campaigns"]) == ["N1", "P0"]
    assert server.writes() == []


def test_a_vanished_campaign_is_skipped_over_every_campaign(server, run):
    refuse(server, "retry_policy.get", "C2", code="0200007")
    result, failed = run()
    assert not failed
    assert by_id(result)["C2"]["outcome"] == "skipped" and "vanished" in by_id(result)["C2"]["reason"]
    assert [ident for call, ident in log(server) if call == "retry_policy.set"] == ["C1"]


def test_a_named_campaign_that_vanished_fails_and_the_others_go_on(server, run):
    refuse(server, "retry_policy.get", "C2", code="0200007")
    result, failed = run(all_campaigns=None, campaign_ids=["C1", "C2"])
    assert failed
    assert by_id(result)["C2"]["outcome"] == "failed" and "0200007" in by_id(result)["C2"]["reason"]
    assert by_id(result)["C1"]["outcome"] == "changed" and codes_of(server, "C1") == ["007", "009"]


# -- failures that concern one campaign -------------------------------------------------------------------


def test_a_refused_write_fails_its_campaign_and_the_rollout_goes_on(server, run):
    refuse(server, "retry_policy.set", "C2", code="0200011", desc="campaign C2 is suspended")
    result, failed = run()
    assert failed
    found = by_id(result)
    assert found["C2"]["outcome"] == "failed" and found["C2"]["failed"] and not found["C2"]["changed"]
    assert "0200011" in found["C2"]["reason"]
    assert "the operation is not allowed in the campaign's current status" in found["C2"]["reason"]
    assert "campaign C2 is suspended" in found["C2"]["reason"]
    assert found["C1"]["outcome"] == "changed" and codes_of(server, "C1") == ["007", "009"]
    assert result["counts"] == {"changed": 1, "unchanged": 1, "skipped": 2, "failed": 1, "not_attempted": 0}
    assert result["changed"], "a write was made before the task failed"
    assert "1 of 5 campaigns failed (campaign C2 (Autumn, suspended)" in result["msg"]
    assert "Written: 1, unchanged: 1, skipped: 2, failed: 1, not attempted: 0" in result["msg"]
    assert "Run the task again" in result["msg"]
    assert server.policy(VDN, "C2")["noRetryPolicy"] == "008"
    assert names(server).count("retry_policy.set") == 2, "the refused write is not sent again"
    # A re-run (the refusal is over) converges.
    again, failed = run()
    assert not failed and outcomes(again)["C2"] == "changed" and outcomes(again)["C1"] == "unchanged"
    assert codes_of(server, "C2") == ["008", "009"]
    third, failed = run()
    assert not failed and not third["changed"]


def test_a_refused_read_fails_its_campaign_only(server, run):
    refuse(server, "retry_policy.get", "C1", code="0200001", desc="bad luck")
    result, failed = run()
    assert failed
    assert outcomes(result) == {"C1": "failed", "C2": "changed", "C3": "unchanged", "N1": "skipped",
                                "P0": "skipped"}
    assert "0200001" in by_id(result)["C1"]["reason"] and by_id(result)["C1"]["retry_policy"] is None
    assert [ident for call, ident in log(server) if call == "retry_policy.set"] == ["C2"]


def test_an_unreadable_policy_fails_its_campaign_only(server, run):
    server.seed_campaigns(VDN, {"campaignId": "B1", "name": "Broken", "retryPolicy": {
        "policyType": 0, "policyJson": "{'type':0,'retryDay':'two'}"}})
    result, failed = run()
    assert failed
    assert outcomes(result)["B1"] == "failed" and "retryDay" in by_id(result)["B1"]["reason"]
    assert result["counts"] == {"changed": 2, "unchanged": 1, "skipped": 2, "failed": 1, "not_attempted": 0}
    assert codes_of(server, "C2") == ["008", "009"]


def test_a_404_on_one_write_concerns_that_campaign_only(server, run):
    server.faults.add([{"call": "retry_policy.set", "kind": "status", "status": 404, "where": {"campaignId": "C1"}}])
    result, failed = run(max_workers=1)
    assert failed
    assert outcomes(result)["C1"] == "failed" and "HTTP 404" in by_id(result)["C1"]["reason"]
    assert outcomes(result)["C2"] == "changed"
    assert result["counts"]["not_attempted"] == 0


def test_an_ignored_write_fails_its_campaign_only(server, run):
    server.faults.add([{"call": "retry_policy.set", "kind": "rewrite", "act": False, "where": {"campaignId": "C1"}}])
    result, failed = run(max_workers=1)
    assert failed
    assert outcomes(result)["C1"] == "failed" and "ignored" in by_id(result)["C1"]["reason"]
    assert outcomes(result)["C2"] == "changed"


# -- failures that stop the rollout -----------------------------------------------------------------------


def test_a_401_on_a_policy_read_stops_the_rollout(server, run):
    server.faults.add([{"call": "retry_policy.get", "kind": "status", "status": 401, "where": {"campaignId": "C1"}}])
    result, failed = run(max_workers=1)
    assert failed and result["error_kind"] == "auth" and result["status"] == 401
    assert outcomes(result) == {"C1": "failed", "C2": "not_attempted", "C3": "not_attempted",
                                "N1": "not_attempted", "P0": "not_attempted"}
    assert result["counts"] == {"changed": 0, "unchanged": 0, "skipped": 0, "failed": 1, "not_attempted": 4}
    assert result["msg"].startswith("the rollout stopped at campaign C1 (Spring): the server rejected the request "
                                    "signature (HTTP 401")
    assert "not attempted: 4" in result["msg"]
    assert all("not attempted" in by_id(result)[ident]["reason"] for ident in ("C2", "C3", "N1", "P0"))
    assert names(server) == ["campaign.list", "ob_result.list", "retry_policy.get"]
    assert server.writes() == [] and not result["changed"]


def test_a_401_in_parallel_reads_reports_exactly_what_was_written(server, run):
    server.faults.add([{"call": "retry_policy.get", "kind": "status", "status": 401, "where": {"campaignId": "C2"}}])
    result, failed = run(max_workers=8)
    assert failed and result["error_kind"] == "auth"
    assert outcomes(result)["C2"] == "failed" and result["counts"]["failed"] == 1
    # Campaigns read in parallel with C2 may have been written before its failure: each reported so.
    written = sorted(set(ident for call, ident in log(server) if call == "retry_policy.set"))
    assert written == sorted(ident for ident, outcome in outcomes(result).items() if outcome == "changed")
    assert result["changed"] == bool(written)
    assert "the rollout stopped at campaign C2 (Autumn)" in result["msg"]


def test_a_401_before_any_write_of_named_campaigns_writes_nothing(server, run):
    server.faults.add([{"call": "retry_policy.get", "kind": "status", "status": 401, "where": {"campaignId": "C2"}}])
    result, failed = run(all_campaigns=False, campaign_ids=["C1", "C2", "C3"], max_workers=8)
    assert failed and result["error_kind"] == "auth"
    assert server.writes() == [] and not result["changed"], "named campaigns are all read before any write"
    assert outcomes(result)["C2"] == "failed"


def test_a_campaign_read_before_a_global_failure_is_not_reported_unchanged(server, run):
    server.faults.add([{"call": "retry_policy.get", "kind": "status", "status": 401, "where": {"campaignId": "C2"}}])
    result, failed = run(all_campaigns=False, campaign_ids=["C1", "C2", "C3"], max_workers=1)
    assert failed
    assert outcomes(result)["C1"] != "unchanged", "C1 lacks 009: it is not as asked"
    assert codes_of(server, "C1") == ["007"]


def test_a_401_on_a_write_stops_the_rollout(server, run):
    server.faults.add([{"call": "retry_policy.set", "kind": "status", "status": 401, "where": {"campaignId": "C1"}}])
    result, failed = run(max_workers=1)
    assert failed and result["error_kind"] == "auth"
    # The campaigns after C1 were not reached (each is read when its turn comes).
    assert outcomes(result) == {"C1": "failed", "C2": "not_attempted", "C3": "not_attempted",
                                "N1": "not_attempted", "P0": "not_attempted"}
    assert result["counts"] == {"changed": 0, "unchanged": 0, "skipped": 0, "failed": 1, "not_attempted": 4}
    assert "the rollout stopped at campaign C1 (Spring)" in result["msg"]
    assert "Written: 0, unchanged: 0, skipped: 0, failed: 1, not attempted: 4" in result["msg"]
    assert [ident for call, ident in log(server) if call == "retry_policy.set"] == ["C1"]
    assert codes_of(server, "C2") == ["008"] and server.policy(VDN, "C2")["noRetryPolicy"] == "008"
    assert "not attempted" in by_id(result)["C2"]["reason"]


def test_a_connection_reset_without_retries_stops_the_rollout(server, run):
    server.faults.add([{"call": "retry_policy.get", "kind": "reset_before", "where": {"campaignId": "C2"}}])
    result, failed = run(max_workers=1, retries=0)
    assert failed and result["error_kind"] == "connection"
    assert outcomes(result)["C2"] == "failed"
    # C1 came first and was written; the campaigns after C2 were not reached.
    assert outcomes(result)["C1"] == "changed"
    assert [outcomes(result)[ident] for ident in ("C3", "N1", "P0")] == ["not_attempted"] * 3
    assert result["counts"]["not_attempted"] == 3 and result["counts"]["failed"] == 1
    assert "the rollout stopped at campaign C2 (Autumn)" in result["msg"]
    assert [ident for call, ident in log(server) if call == "retry_policy.set"] == ["C1"]


def test_a_connection_reset_on_a_write_stops_the_rest(server, run):
    server.faults.add([{"call": "retry_policy.set", "kind": "reset_before", "where": {"campaignId": "C1"}}])
    result, failed = run(max_workers=1, retries=0)
    assert failed
    assert outcomes(result)["C1"] == "failed" and outcomes(result)["C2"] == "not_attempted"
    assert "the rollout stopped at campaign C1 (Spring)" in result["msg"]
    assert [ident for call, ident in log(server) if call == "retry_policy.set"] == ["C1"]


def test_5xx_after_retries_stops_the_rollout(server, run):
    server.faults.add([{"call": "retry_policy.get", "kind": "status", "status": 503, "count": 5,
                        "where": {"campaignId": "C1"}}])
    result, failed = run(max_workers=1, retries=1)
    assert failed and result["status"] == 503
    assert outcomes(result)["C1"] == "failed" and result["counts"]["not_attempted"] == 4
    assert [ident for call, ident in log(server) if call == "retry_policy.get"] == ["C1", "C1"], "two tries"


def test_a_429_that_persists_stops_the_rollout(server, run):
    server.faults.add([{"call": "retry_policy.get", "kind": "rate_limit", "retry_after": 0, "count": 5,
                        "where": {"campaignId": "C1"}}])
    result, failed = run(max_workers=1, retries=0)
    assert failed and result["counts"]["not_attempted"] == 4


def test_a_403_concerns_every_campaign(server, run):
    server.faults.add([{"call": "retry_policy.set", "kind": "status", "status": 403, "where": {"campaignId": "C1"}}])
    result, failed = run(max_workers=1)
    assert failed and outcomes(result)["C2"] == "not_attempted"


def test_a_rerun_after_a_stop_converges(server, run):
    server.faults.add([{"call": "retry_policy.set", "kind": "status", "status": 401, "where": {"campaignId": "C1"}}])
    run(max_workers=1)
    result, failed = run(max_workers=1)
    assert not failed and result["counts"]["changed"] == 2
    assert codes_of(server, "C1") == ["007", "009"] and codes_of(server, "C2") == ["008", "009"]


# -- a write whose outcome is unknown ---------------------------------------------------------------------


def test_a_write_answered_502_after_it_happened_is_settled_by_reading(server, run):
    server.faults.add([{"call": "retry_policy.set", "kind": "status", "status": 502, "act": True,
                        "where": {"campaignId": "C1"}}])
    result, failed = run(max_workers=1)
    assert not failed and outcomes(result)["C1"] == "changed" and outcomes(result)["C2"] == "changed"
    sets = [ident for call, ident in log(server) if call == "retry_policy.set"]
    assert sets == ["C1", "C2"], "no second write of C1"
    sent = log(server)
    first = sent.index(("retry_policy.set", "C1"))
    assert sent[first + 1] == ("retry_policy.get", "C1"), "settled by reading"
    assert codes_of(server, "C1") == ["007", "009"]


def test_a_write_answered_502_that_did_not_happen_is_written_again(server, run):
    server.faults.add([{"call": "retry_policy.set", "kind": "status", "status": 502, "act": False,
                        "where": {"campaignId": "C1"}}])
    result, failed = run(max_workers=1)
    assert not failed and outcomes(result)["C1"] == "changed"
    assert [ident for call, ident in log(server) if call == "retry_policy.set"] == ["C1", "C1", "C2"]


def test_a_write_whose_outcome_stays_unknown_is_reported_and_stops_the_rollout(server, run):
    server.faults.add([
        {"call": "retry_policy.get", "kind": "rewrite", "set": {}, "where": {"campaignId": "C1"}},   # the first read
        {"call": "retry_policy.set", "kind": "status", "status": 502, "where": {"campaignId": "C1"}},
        {"call": "retry_policy.get", "kind": "status", "status": 401, "where": {"campaignId": "C1"}},
    ])
    result, failed = run(max_workers=1)
    assert failed and result["error_kind"] == "auth"
    assert result["outcome_unknown"] == [{"action": "set retry policy", "campaign_id": "C1"}]
    assert "may or may not have happened" in result["msg"] and "Nothing was written twice" in result["msg"]
    assert outcomes(result)["C1"] == "failed" and outcomes(result)["C2"] == "not_attempted"
    assert [ident for call, ident in log(server) if call == "retry_policy.set"] == ["C1"]


def test_a_write_whose_outcome_stays_unknown_for_one_campaign_lets_the_others_go_on(server, run):
    server.faults.add([
        {"call": "retry_policy.get", "kind": "rewrite", "set": {}, "where": {"campaignId": "C1"}},
        {"call": "retry_policy.set", "kind": "status", "status": 502, "where": {"campaignId": "C1"}},
        {"call": "retry_policy.get", "kind": "rewrite", "where": {"campaignId": "C1"},
         "set": isales_simulator.answer("0200001", "busy")},
    ])
    result, failed = run(max_workers=1)
    assert failed and result["outcome_unknown"] == [{"action": "set retry policy", "campaign_id": "C1"}]
    assert outcomes(result)["C1"] == "failed" and outcomes(result)["C2"] == "changed"
    assert "1 of 5 campaigns failed (campaign C1 (Spring, started)" in result["msg"]


def read_back_fails(fake, campaign_id, rule, reads_before=1):
    """The campaign's first policy reads (one over every campaign; two for a campaign named explicitly, read
    again before its write) answer normally; the next one (the read-back of its write) per rule."""
    fake.faults.add([{"call": "retry_policy.get", "kind": "rewrite", "set": {}, "count": reads_before,
                      "where": {"campaignId": campaign_id}},
                     dict(rule, call="retry_policy.get", where={"campaignId": campaign_id})])


WRITTEN = "written (the server confirmed the write), but not read back and settled: "


def test_a_confirmed_write_whose_read_back_is_refused_counts_as_written(server, run):
    read_back_fails(server, "C1", {"kind": "rewrite", "set": isales_simulator.answer("0200001", "busy")})
    result, _failed = run(max_workers=1)
    found = by_id(result)
    assert found["C1"]["outcome"] == "changed" and found["C1"]["changed"] and not found["C1"]["failed"]
    assert found["C1"]["reason"].startswith(WRITTEN) and "0200001" in found["C1"]["reason"]
    assert found["C1"]["retry_policy"] is None, "written, but what the server holds was not read"
    assert found["C2"]["outcome"] == "changed" and result["changed"]
    assert [ident for call, ident in log(server) if call == "retry_policy.set"] == ["C1", "C2"], "never written twice"
    assert codes_of(server, "C1") == ["007", "009"]


def test_a_confirmed_write_whose_read_back_fails_globally_stops_the_rest(server, run):
    read_back_fails(server, "C1", {"kind": "status", "status": 401})
    result, failed = run(max_workers=1)
    assert failed and result["error_kind"] == "auth" and result["changed"]
    found = by_id(result)
    assert found["C1"]["outcome"] == "changed" and found["C1"]["reason"].startswith(WRITTEN)
    assert found["C2"]["outcome"] == "not_attempted"
    assert result["counts"] == {"changed": 1, "unchanged": 0, "skipped": 0, "failed": 0, "not_attempted": 4}
    assert "Written: 1, unchanged: 0, skipped: 0, failed: 0, not attempted: 4" in result["msg"]
    assert [ident for call, ident in log(server) if call == "retry_policy.set"] == ["C1"]


def test_a_stop_right_after_a_confirmed_write_names_the_campaign(server, run):
    read_back_fails(server, "C1", {"kind": "status", "status": 401})
    result, failed = run(max_workers=1)
    assert failed and result["msg"].startswith("the rollout stopped at campaign C1 (Spring): ")


def test_a_global_failure_on_the_read_back_of_the_last_write_fails_the_task(server, run):
    read_back_fails(server, "C1", {"kind": "status", "status": 401}, reads_before=2)
    result, failed = run(all_campaigns=None, campaign_ids=["C1", "C3"], max_workers=1)
    assert failed and result["error_kind"] == "auth"
    assert outcomes(result) == {"C1": "changed", "C3": "unchanged"}


def test_another_writer_on_one_campaign_fails_it_after_three_writes(server, run, monkeypatch):
    perform = server.sim.perform
    theirs = []

    def perform_then_replace(request, target):
        answer = perform(request, target)
        if target.call == "retry_policy.set" and target.params.get("campaignId") == "C1":
            theirs.append("09%d" % len(theirs))
            campaigns(server.sim.store).set_policy(VDN, "C1", 0, {"noRetryPolicy": list(theirs)})
        return answer

    monkeypatch.setattr(server.sim, "perform", perform_then_replace)
    result, failed = run(max_workers=1)
    assert failed
    assert outcomes(result)["C1"] == "failed" and "another writer" in by_id(result)["C1"]["reason"]
    assert outcomes(result)["C2"] == "changed" and result["counts"]["failed"] == 1
    assert [ident for call, ident in log(server) if call == "retry_policy.set"] == ["C1"] * 3 + ["C2"]


def test_writes_run_in_parallel_within_max_workers(fake, run, monkeypatch):
    fake.seed(VDN, ("Deceased", "009", ["00603"]))
    fake.seed_campaigns(VDN, *[{"campaignId": "P%d" % index, "name": "P%d" % index, "retryPolicy": {
        "policyType": 0, "policyJson": "{}"}} for index in range(8)])
    perform = fake.sim.perform
    lock = threading.Lock()
    running = [0, 0]   # now, peak

    def slow_set(request, target):
        if target.call != "retry_policy.set":
            return perform(request, target)
        with lock:
            running[0] += 1
            running[1] = max(running)
        try:
            time.sleep(0.05)
            return perform(request, target)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(fake.sim, "perform", slow_set)
    result, failed = run(max_workers=3)
    assert not failed and result["counts"]["changed"] == 8
    assert 1 < running[1] <= 3, "writes in parallel, at most max_workers at a time"


# -- warnings ----------------------------------------------------------------------------------------------


def test_codes_no_result_has_are_warned_about_and_kept(server, run):
    server.seed_campaigns(VDN, {"campaignId": "D1", "name": "Dangling", "retryPolicy": {
        "policyType": 0, "noRetryPolicy": ["999"], "policyJson": '{"noRetryPolicy":["999"]}'}})
    result, failed = run()
    assert not failed
    assert any("VDN 12 has (they are kept): D1: 999" in warning for warning in result["warnings"])
    assert codes_of(server, "D1") == ["999", "009"]


def test_a_policy_whose_two_lists_differ_is_warned_about(server, run):
    server.seed_campaigns(VDN, {"campaignId": "W1", "name": "Odd", "retryPolicy": {
        "policyType": 0, "noRetryPolicy": ["009"], "policyJson": '{"noRetryPolicy":["008"]}'}})
    result, failed = run()
    assert not failed
    assert any(warning.startswith("campaign W1: the policy's noRetryPolicy field") for warning in result["warnings"])


# -- the option checks --------------------------------------------------------------------------------------


@pytest.mark.parametrize("extra,fragment", [
    (dict(all_campaigns=None, campaign_ids=[]), "campaign_ids is empty"),
    (dict(all_campaigns=None, campaign_names=[]), "campaign_names is empty"),
    (dict(all_campaigns=None, campaign_ids=["C 1"]), "campaign_ids[0] 'C 1': a campaign id holds only letters"),
    (dict(all_campaigns=None, campaign_ids=["C1", "../x"]), "campaign_ids[1] '../x'"),
    (dict(all_campaigns=None, campaign_ids=["X" * 33]), "a campaign id is 1 to 32 characters"),
    (dict(all_campaigns=None, campaign_names=[" "]), "campaign_names[0] ' ': a campaign name must not be empty"),
    (dict(campaign_ids=["C1"]), "all_campaigns: true selects every campaign; it does not take campaign_ids"),
    (dict(campaign_names=["Spring"]), "it does not take campaign_ids or campaign_names"),
    (dict(all_campaigns=None), "one of campaign_ids, campaign_names or all_campaigns: true is required"),
    (dict(all_campaigns=False), "one of campaign_ids, campaign_names or all_campaigns: true is required"),
    (dict(all_campaigns=None, campaign_ids=["C1"], status="started"), "status narrows all_campaigns: true"),
    (dict(no_retry_result_codes=[], purge=True), "set clear_all: true to confirm"),
    (dict(no_retry_result_codes=None, no_retry_display_results=[], purge=True), "set clear_all: true to confirm"),
    (dict(all_campaigns=None, campaign_ids=["C1"], no_retry_result_codes=[], purge=True, clear_all=True),
     "clear_all: true is only allowed"),
    (dict(no_retry_result_codes=["009"], purge=True, clear_all=True), "clear_all: true is only allowed"),
    (dict(no_retry_result_codes=[], clear_all=True), "clear_all: true is only allowed"),
    (dict(clear_all=True), "clear_all: true is only allowed"),
    (dict(state="absent", purge=True), "state=absent removes the listed no-retry results only; it does not take purge"),
    (dict(no_retry_result_codes=None), "no_retry_result_codes or no_retry_display_results is required"),
    (dict(no_retry_result_codes=["009", " "]), "no_retry_result_codes must not hold empty values (items 2)"),
    (dict(status="paused"), "status"),
    (dict(max_workers=0), "max_workers must be from 1 to 32"),
])
def test_bad_options_fail_before_any_request(server, run, extra, fragment):
    result, failed = run(**extra)
    assert failed and fragment in result["msg"], result["msg"]
    assert server.calls == []


def test_the_clear_all_message_names_the_vdn(server, run):
    result, failed = run(no_retry_result_codes=[], purge=True)
    assert failed and "every campaign of VDN 12" in result["msg"] and server.calls == []


def test_purge_with_empty_lists_over_named_campaigns_needs_no_clear_all(server, run):
    result, failed = run(all_campaigns=None, campaign_ids=["C1"], no_retry_result_codes=[], purge=True)
    assert not failed and result["changed"] and codes_of(server, "C1") == []
    assert codes_of(server, "C3") == ["007", "009"]


def test_an_unknown_code_fails_before_any_write(server, run):
    result, failed = run(no_retry_result_codes=["123"])
    assert failed and "no external result has the result code '123'" in result["msg"]
    assert server.writes() == [] and "retry_policy.get" not in names(server)


def test_the_secret_is_in_no_output_of_a_failure(server, run_module):
    server.faults.add([{"call": "retry_policy.set", "kind": "echo_auth", "status": 502, "act": False,
                        "where": {"campaignId": "C1"}}])
    result, _failed = run_module(isales_retry_policies.main, args(max_workers=1, retries=0))
    assert SECRET not in json.dumps(result)
