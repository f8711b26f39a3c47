# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""isales_retry_policy against the simulator in-process (isales_fake): the requests of a run, the
read-back after a write, another writer, an ignored write, a write whose outcome is unknown."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.huawei.isales.plugins.module_utils._retry_policy import lenient
from ansible_collections.huawei.isales.plugins.modules import isales_retry_policy
from ansible_collections.huawei.isales.tests.unit.plugins.modules.isales_fake import BASE, WRITE_CALLS, campaigns

SECRET = "unit-secret-0123456789"
VDN = 12
READS = ["campaign.detail", "ob_result.list", "retry_policy.get"]


def args(**extra):
    value = dict(url=BASE, access_key="ak", secret_key=SECRET, vdn_id=VDN, campaign_id="C1",
                 no_retry_result_codes=["008"])
    value.update(extra)
    return dict((key, item) for key, item in value.items() if item is not None)   # None: the option not given


@pytest.fixture
def server(fake):
    """VDN 12 with three results and campaign C1, whose policy (single-quoted, with a key the collection
    does not know) names 007."""
    fake.seed(VDN, ("Do not call", "007", ["00601"]), ("Wrong number", "008", ["00602"]),
              ("Deceased", "009", ["00603"]))
    fake.seed_campaigns(VDN, {"campaignId": "C1", "name": "Spring", "retryPolicy": {
        "retryPolicyId": "1", "policyType": 0, "busiPolicy": "kept", "noRetryPolicy": ["007"],
        "policyJson": "{'type':0,'retryDay':2,'vendorExtra':{'a':1},'noRetryPolicy':['007']}"}})
    return fake


@pytest.fixture
def run(run_module):
    def runner(**extra):
        result, failed = run_module(isales_retry_policy.main, args(**extra))
        assert SECRET not in json.dumps(result)
        return result, failed
    return runner


def calls(fake):
    return [call[0] for call in fake.calls]


def writes(fake):
    return [call for call in fake.calls if call[0] in WRITE_CALLS]


def document(fake, campaign_id="C1"):
    return lenient(fake.policy(VDN, campaign_id)["policyJson"])


def test_no_change_sends_three_requests_and_no_write(server, run):
    result, failed = run(no_retry_result_codes=["007"], _ansible_diff=True)
    assert not failed and not result["changed"]
    assert calls(server) == READS
    assert result["api_requests"] == 3
    assert result["diff"]["before"] == result["diff"]["after"]
    assert result["retry_policy"]["no_retry_result_codes"] == ["007"]


def test_no_change_by_name_sends_three_requests(server, run):
    result, failed = run(campaign_id=None, campaign_name="Spring", no_retry_result_codes=None,
                         no_retry_display_results=["Do not call"])
    assert not failed and not result["changed"]
    assert calls(server) == ["campaign.list", "ob_result.list", "retry_policy.get"]


def test_change_is_one_write_read_back(server, run):
    result, failed = run(_ansible_diff=True)
    assert not failed and result["changed"] and result["returnCode"] == "0200000"
    sent = calls(server)
    assert sent[:4] == READS + ["retry_policy.set"]
    assert sent[4] == "retry_policy.get", "the write is read back"
    assert sent.count("retry_policy.set") == 1 and set(sent[4:]) == {"retry_policy.get"}
    body = writes(server)[0][3]
    assert body["busiPolicy"] == "kept" and body["noRetryPolicy"] == ["007", "008"]
    assert json.loads(body["policyJson"]) == {"type": 0, "retryDay": 2, "vendorExtra": {"a": 1},
                                              "noRetryPolicy": ["007", "008"]}
    assert document(server)["noRetryPolicy"] == ["007", "008"]
    assert result["diff"]["before"]["no_retry_result_codes"] == ["007"]
    assert result["retry_policy"]["no_retry_result_codes"] == ["007", "008"]


def test_check_mode_writes_nothing(server, run):
    result, failed = run(_ansible_check_mode=True, _ansible_diff=True)
    assert not failed and result["changed"]
    assert calls(server) == READS
    assert result["retry_policy"]["no_retry_result_codes"] == ["007", "008"]
    assert document(server)["noRetryPolicy"] == ["007"]


def test_check_mode_predicts_no_change(server, run):
    result, failed = run(no_retry_result_codes=["007"], _ansible_check_mode=True)
    assert not failed and not result["changed"] and calls(server) == READS


def test_another_writer_on_the_read_back_leads_to_planning_again(server, run, monkeypatch):
    # Right after our write lands, another run replaces the document with its own change (009, not ours).
    perform = server.sim.perform
    replaced = []

    def perform_then_replace(request, target):
        answer = perform(request, target)
        if target.call == "retry_policy.set" and not replaced:
            replaced.append(True)
            campaigns(server.sim.store).set_policy(VDN, "C1", 0, {"type": 0, "noRetryPolicy": ["007", "009"]})
        return answer

    monkeypatch.setattr(server.sim, "perform", perform_then_replace)
    result, failed = run()
    assert not failed and result["changed"]
    assert calls(server).count("retry_policy.set") == 2, "one write, then one more after planning again"
    second = json.loads(writes(server)[1][3]["policyJson"])
    assert second == {"type": 0, "noRetryPolicy": ["007", "009", "008"]}, "planned from what the read-back held"
    assert document(server)["noRetryPolicy"] == ["007", "009", "008"]
    assert result["retry_policy"]["no_retry_result_codes"] == ["007", "008", "009"]


def test_another_writer_after_every_write_fails_after_three(server, run, monkeypatch):
    perform = server.sim.perform
    theirs = []

    def perform_then_replace(request, target):
        answer = perform(request, target)
        if target.call == "retry_policy.set":   # each time another change of theirs, without ours
            theirs.append("09%d" % len(theirs))
            campaigns(server.sim.store).set_policy(VDN, "C1", 0, {"noRetryPolicy": list(theirs)})
        return answer

    monkeypatch.setattr(server.sim, "perform", perform_then_replace)
    result, failed = run()
    assert failed and "another writer" in result["msg"] and "3 writes" in result["msg"]
    assert calls(server).count("retry_policy.set") == 3


def test_read_back_equal_to_the_old_document_fails_as_ignored(server, run):
    # The server answers the write with success but does not do it.
    server.faults.add([{"call": "retry_policy.set", "kind": "rewrite", "act": False}])
    result, failed = run()
    assert failed and "ignored" in result["msg"] and "another writer" not in result["msg"]
    assert calls(server).count("retry_policy.set") == 1
    assert document(server)["noRetryPolicy"] == ["007"]


def test_write_answered_502_after_the_server_acted_is_settled_by_reading(server, run):
    server.fail("retry_policy.set", status=502, act=True)
    result, failed = run()
    assert not failed and result["changed"]
    sent = calls(server)
    assert sent.count("retry_policy.set") == 1, "never sent again blindly"
    assert sent[sent.index("retry_policy.set") + 1] == "retry_policy.get"
    assert document(server)["noRetryPolicy"] == ["007", "008"]


def test_write_answered_502_that_did_not_happen_is_planned_again(server, run):
    server.fail("retry_policy.set", status=502, act=False)
    result, failed = run()
    assert not failed and result["changed"]
    assert calls(server).count("retry_policy.set") == 2, "read first, then written again from what was read"
    assert document(server)["noRetryPolicy"] == ["007", "008"]


def test_refusals_before_any_write(server, run):
    server.seed_campaigns(VDN, {"campaignId": "N1", "name": "Numbers", "retryPolicy": {
        "policyType": 1, "policyJson": "[{'dataType':'SI','type':1,'policy':[]}]"}})
    for extra, text in [(dict(no_retry_result_codes=["123"]), "'123'"),
                        (dict(no_retry_result_codes=None, no_retry_display_results=["Nobody"]), "'Nobody'"),
                        (dict(campaign_id="N1"), "number-type"),
                        (dict(no_retry_result_codes=[7]), "must hold strings"),
                        (dict(state="absent", purge=True), "state=absent")]:
        result, failed = run(**extra)
        assert failed and text in result["msg"], (extra, result["msg"])
    assert writes(server) == []


def test_first_write_of_a_campaign_without_policy_sends_only_what_was_declared(server, run):
    server.seed_campaigns(VDN, {"campaignId": "C0", "name": "New"})
    result, failed = run(campaign_id="C0", retry_days=3)
    assert not failed and result["changed"]
    body = writes(server)[0][3]
    assert body == {"policyType": 0, "policyJson": '{"noRetryPolicy":["008"],"retryDay":3}'}
