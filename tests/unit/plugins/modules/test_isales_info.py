# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""isales_ob_result_info and isales_obs_code_info against an in-memory API."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.huawei.isales.plugins.modules import isales_ob_result_info, isales_obs_code_info
from ansible_collections.huawei.isales.tests.unit.plugins.modules.isales_fake import BASE

SECRET = "unit-secret-info-0123456789"
VDN = 21


@pytest.fixture
def run(run_module):
    def runner(module, **extra):
        args = dict(url=BASE, access_key="ak", secret_key=SECRET, vdn_id=VDN)
        args.update(extra)
        result, failed = run_module(module.main, args)
        assert SECRET not in json.dumps(result)
        return result, failed
    return runner


def test_lists_every_result_with_its_codes(fake, run):
    ids = fake.seed(VDN, ("Busy", "003", ["00603", "00601"]), ("No answer", None, ["00602"]))
    result, failed = run(isales_ob_result_info)
    assert not failed and not result["changed"] and result["total"] == 2
    assert result["ob_results"] == [
        {"defId": ids[0], "display_result": "Busy", "result_code": "003", "obs_codes": ["00601", "00603"], "vdn_id": VDN},
        {"defId": ids[1], "display_result": "No answer", "result_code": None, "obs_codes": ["00602"], "vdn_id": VDN},
    ]
    assert result["api_requests"] == 3 and not fake.writes()


@pytest.mark.parametrize("filters,expected", [
    (dict(result_code="003"), ["Busy"]),
    (dict(display_result="No answer"), ["No answer"]),
    (dict(display_result="Busy", result_code="004"), []),
])
def test_filters_read_only_the_details_kept(fake, run, filters, expected):
    fake.seed(VDN, ("Busy", "003", ["00603"]), ("No answer", None, ["00602"]))
    result, failed = run(isales_ob_result_info, **filters)
    assert not failed and [r["display_result"] for r in result["ob_results"]] == expected
    assert fake.count("ob_result.detail") == len(expected) and result["total"] == 2


def test_without_obs_codes_only_the_listing_is_read(fake, run):
    fake.seed(VDN, *[("R%d" % i, None, ["00601"]) for i in range(101)])
    result, failed = run(isales_ob_result_info, include_obs_codes=False, max_workers=3)
    assert not failed and len(result["ob_results"]) == 101 and result["ob_results"][100]["display_result"] == "R100"
    assert result["ob_results"][0]["obs_codes"] is None
    assert fake.count("ob_result.list") == 3 and fake.count("ob_result.detail") == 0 and result["api_requests"] == 3


def test_many_details_concurrently(fake, run):
    fake.seed(VDN, *[("R%d" % i, "C%d" % i, ["00601", "00602"]) for i in range(60)])
    result, failed = run(isales_ob_result_info, max_workers=6, _ansible_check_mode=True)
    assert not failed and len(result["ob_results"]) == 60
    assert [r["result_code"] for r in result["ob_results"]] == ["C%d" % i for i in range(60)]
    assert all(r["obs_codes"] == ["00601", "00602"] for r in result["ob_results"])
    assert fake.count("ob_result.detail") == 60 and fake.count("ob_result.list") == 2


def test_an_empty_vdn(fake, run):
    result, failed = run(isales_ob_result_info)
    assert not failed and result["ob_results"] == [] and result["total"] == 0 and result["api_requests"] == 1


def test_a_failing_read_fails_the_task_with_its_call(fake, run):
    fake.seed(VDN, ("Busy", "003", ["00603"]))
    fake.fail("ob_result.detail", status=500, count=10)
    result, failed = run(isales_ob_result_info, retries=1)
    assert failed and result["status"] == 500 and "queryObsResultDetail" in result["call"]
    assert "gave up after 2 tries" in result["msg"]


@pytest.mark.parametrize("module,extra,fragment", [
    (isales_ob_result_info, dict(vdn_id=10000), "vdn_id must be an integer from 1 to 9999"),
    (isales_ob_result_info, dict(result_code="12345678"), "result_code must be 1 to 7 characters long"),
    (isales_ob_result_info, dict(display_result=" "), "display_result must not be empty"),
    (isales_ob_result_info, dict(max_workers=33), "max_workers must be from 1 to 32"),
    (isales_obs_code_info, dict(vdn_id=0), "vdn_id must be an integer from 1 to 9999"),
    (isales_obs_code_info, dict(max_workers=0), "max_workers must be from 1 to 32"),
])
def test_bad_input_fails_before_any_request(fake, run, module, extra, fragment):
    result, failed = run(module, **extra)
    assert failed and fragment in result["msg"] and not fake.calls


def test_obs_code_catalogue(fake, run):
    result, failed = run(isales_obs_code_info)
    assert not failed and not result["changed"] and result["total"] == 60 and len(result["obs_codes"]) == 60
    assert result["obs_codes"][0] == {"obs_code": "00601", "description": "Code 0"}
    assert result["obs_codes"][59]["obs_code"] == "00660"
    assert result["unknown_obs_codes"] == [] and fake.count("obs_code.list") == 2 and result["api_requests"] == 2


def test_obs_code_filter_names_the_unknown_codes(fake, run):
    result, failed = run(isales_obs_code_info, obs_codes=["00660", "00601", "09999", "09999"])
    assert not failed
    assert [c["obs_code"] for c in result["obs_codes"]] == ["00601", "00660"]
    assert result["unknown_obs_codes"] == ["09999"]


# -- include_usage: the campaigns whose no-retry list names each result ----------------------------------------


def usage_server(fake):
    """VDN 21: Busy (003), No answer (007), Silent (no code); campaigns in list order Z9 (started, 007 and 003),
    A1 (suspended, 007), M5 (completed, a number-type policy), B2 (no policy)."""
    ids = fake.seed(VDN, ("Busy", "003", ["00603"]), ("No answer", "007", ["00602"]), ("Silent", None, ["00604"]))
    fake.seed_campaigns(VDN, {"campaignId": "Z9", "name": "Zeta", "status": 2, "retryPolicy": {
        "policyType": 0, "policyJson": "{}", "noRetryPolicy": '["007","003"]'}},
        {"campaignId": "A1", "name": "Alpha", "status": 3, "retryPolicy": {
            "policyType": 0, "policyJson": "{'noRetryPolicy':['007']}"}},
        {"campaignId": "M5", "name": "Numbers", "status": 4, "retryPolicy": {
            "policyType": 1, "policyJson": "[{'dataType':'SI','type':1}]"}},
        {"campaignId": "B2", "name": "Bare", "status": 2})
    return ids


ZETA = {"campaign_id": "Z9", "campaign_name": "Zeta", "campaign_status": "started"}
ALPHA = {"campaign_id": "A1", "campaign_name": "Alpha", "campaign_status": "suspended"}


def test_usage_lists_the_campaigns_in_list_order(fake, run):
    usage_server(fake)
    result, failed = run(isales_ob_result_info, include_usage=True)
    assert not failed and not result["changed"]
    used = dict((item["display_result"], item["used_by"]) for item in result["ob_results"])
    assert used == {"Busy": [ZETA], "No answer": [ZETA, ALPHA], "Silent": []}
    assert fake.count("campaign.list") == 1 and fake.count("retry_policy.get") == 4
    assert result["api_requests"] == 1 + 3 + 1 + 4 and not fake.writes()


def test_usage_without_obs_codes(fake, run):
    usage_server(fake)
    result, failed = run(isales_ob_result_info, include_usage=True, include_obs_codes=False, max_workers=1)
    assert not failed
    assert [item["used_by"] for item in result["ob_results"]] == [[ZETA], [ZETA, ALPHA], []]
    assert fake.count("ob_result.detail") == 0


def test_without_include_usage_no_campaign_is_read(fake, run):
    usage_server(fake)
    result, failed = run(isales_ob_result_info)
    assert not failed and all("used_by" not in item for item in result["ob_results"])
    assert fake.count("campaign.list", "retry_policy.get") == 0
    result, failed = run(isales_ob_result_info, include_usage=False)
    assert not failed and fake.count("campaign.list", "retry_policy.get") == 0


def test_no_scan_when_no_result_kept_has_a_code(fake, run):
    usage_server(fake)
    result, failed = run(isales_ob_result_info, include_usage=True, display_result="Silent")
    assert not failed and [item["used_by"] for item in result["ob_results"]] == [[]]
    assert fake.count("campaign.list", "retry_policy.get") == 0
    result, failed = run(isales_ob_result_info, include_usage=True, display_result="Nothing")
    assert not failed and result["ob_results"] == [] and fake.count("campaign.list", "retry_policy.get") == 0


def test_usage_of_a_filtered_result(fake, run):
    usage_server(fake)
    result, failed = run(isales_ob_result_info, include_usage=True, result_code="003")
    assert not failed and [item["used_by"] for item in result["ob_results"]] == [[ZETA]]


def test_usage_leaves_a_vanished_campaign_out(fake, run):
    usage_server(fake)
    fake.faults.add([{"call": "retry_policy.get", "kind": "rewrite", "where": {"campaignId": "Z9"},
                      "set": {"returnCode": "0200007", "resultCode": "0200007", "returnDesc": "no campaign"}}])
    result, failed = run(isales_ob_result_info, include_usage=True)
    assert not failed
    assert [item["used_by"] for item in result["ob_results"]] == [[], [ALPHA], []]


def test_usage_fails_naming_a_campaign_whose_policy_cannot_be_read(fake, run):
    usage_server(fake)
    fake.faults.add([{"call": "retry_policy.get", "kind": "status", "status": 500, "count": 5,
                      "where": {"campaignId": "A1"}}])
    result, failed = run(isales_ob_result_info, include_usage=True, retries=1)
    assert failed and result["status"] == 500
    assert "the retry policy of campaign A1 (Alpha, suspended) could not be read" in result["msg"]
