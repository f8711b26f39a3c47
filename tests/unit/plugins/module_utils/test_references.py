# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reference guard (_references): which campaigns' no-retry lists name which result codes, and the
refusal to delete an external result one of them names - on a pool faked in memory."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.huawei.isales.plugins.module_utils import _references as refs
from ansible_collections.huawei.isales.plugins.module_utils._errors import (
    KIND_API,
    KIND_HTTP,
    IsalesError,
    ResourceError,
)
from ansible_collections.huawei.isales.plugins.module_utils._retry_policy import read_policy

CALL = "GET /rest/isales/v1/openapi/campaigns/12/retryPolicy/%s"
SPRING = {"id": "C1", "name": "Spring", "status": "started"}
AUTUMN = {"id": "C2", "name": "Autumn", "status": "suspended"}
WINTER = {"id": "C3", "name": "Winter", "status": "completed"}


def policy(*codes):
    return {"policyType": 0, "policyJson": "{}", "noRetryPolicy": list(codes)}


def result(def_id, text, code):
    return {"defId": def_id, "display_result": text, "result_code": code, "obs_codes": ["00601"], "vdn_id": 12}


class Pool(object):
    """What scan() needs of a ClientPool: client() and map(), in the calling thread."""

    def __init__(self):
        self.maps = []

    def client(self):
        return "client"

    def map(self, func, items, size=None):
        items = list(items)
        self.maps.append(items)
        return [func("worker", item) for item in items]


@pytest.fixture
def server(monkeypatch):
    """The campaign list and the policy reads of _references, answered from `campaigns` and `policies`
    (a value that is an exception is raised); `sent` records each call."""
    state = {"campaigns": [SPRING, AUTUMN, WINTER], "policies": {}, "sent": []}

    def list_campaigns(client, vdn_id, pool=None, **kwargs):
        assert pool is not None and not kwargs, "every campaign, any status, read on the pool"
        state["sent"].append(("campaign.list", vdn_id))
        return list(state["campaigns"])

    def get_policy(client, vdn_id, campaign_id):
        state["sent"].append(("retry_policy.get", campaign_id))
        value = state["policies"].get(campaign_id)
        if isinstance(value, Exception):
            raise value
        return value, CALL % campaign_id

    monkeypatch.setattr(refs, "list_campaigns", list_campaigns)
    monkeypatch.setattr(refs, "get_policy", get_policy)
    return state


def gone(campaign_id):
    return IsalesError("GET .../retryPolicy/%s failed with returnCode 0200007 (the campaign does not exist)"
                       % campaign_id, KIND_API, call=CALL % campaign_id, return_code="0200007")


# -- named, label, usage -------------------------------------------------------------------------------------


def test_a_campaign_as_a_reference_and_as_a_label():
    assert refs.named(AUTUMN) == {"campaign_id": "C2", "campaign_name": "Autumn", "campaign_status": "suspended"}
    assert refs.label(AUTUMN) == "C2 (Autumn, suspended)"


def test_usage_maps_each_code_to_the_campaigns_that_name_it_in_list_order():
    scanned = [(WINTER, read_policy(policy("007", "008"), CALL)), (SPRING, read_policy(policy("008"), CALL)),
               (AUTUMN, read_policy(policy(), CALL)), (SPRING, read_policy(None, CALL))]
    assert refs.usage(scanned) == {
        "007": [refs.named(WINTER)],
        "008": [refs.named(WINTER), refs.named(SPRING)],
    }


def test_usage_of_nothing_is_empty():
    assert refs.usage([]) == {}


def test_usage_reads_the_codes_kept_only_inside_the_document():
    scanned = [(SPRING, read_policy({"policyType": 0, "policyJson": "{'noRetryPolicy':['009']}"}, CALL))]
    assert refs.usage(scanned) == {"009": [refs.named(SPRING)]}


def test_a_number_type_policy_names_no_code():
    scanned = [(SPRING, read_policy({"policyType": 1, "policyJson": "[{'dataType':'SI','type':1}]"}, CALL))]
    assert refs.usage(scanned) == {}


# -- scan ---------------------------------------------------------------------------------------------------------


def test_scan_reads_the_list_once_and_every_policy_on_the_pool(server):
    server["policies"] = {"C1": policy("007"), "C2": None, "C3": policy("008")}
    pool = Pool()
    scanned = refs.scan(pool, 12)
    assert [campaign for campaign, _policy in scanned] == [SPRING, AUTUMN, WINTER]
    assert [item.codes for _campaign, item in scanned] == [["007"], [], ["008"]]
    assert not scanned[1][1].exists
    assert server["sent"] == [("campaign.list", 12), ("retry_policy.get", "C1"), ("retry_policy.get", "C2"),
                              ("retry_policy.get", "C3")]
    assert pool.maps == [[SPRING, AUTUMN, WINTER]]


def test_a_campaign_that_vanished_is_left_out(server):
    server["policies"] = {"C1": policy("007"), "C2": gone("C2"), "C3": policy("007")}
    scanned = refs.scan(Pool(), 12)
    assert [campaign["id"] for campaign, _policy in scanned] == ["C1", "C3"]


@pytest.mark.parametrize("failure", [
    IsalesError("GET x failed with returnCode 0200001 (parameter error)", KIND_API, return_code="0200001"),
    IsalesError("HTTP 500 from the server for GET x", KIND_HTTP, status=500),
])
def test_any_other_read_failure_names_the_campaign(server, failure):
    original = failure.msg
    server["policies"] = {"C1": policy(), "C2": failure}
    with pytest.raises(IsalesError) as info:
        refs.scan(Pool(), 12)
    assert info.value is failure, "the failure itself, its kind, status and codes kept"
    assert info.value.msg == "the retry policy of campaign C2 (Autumn, suspended) could not be read: " + original
    assert str(info.value) == info.value.msg


def test_a_policy_that_cannot_be_read_names_the_campaign(server):
    server["policies"] = {"C1": {"policyType": 0, "policyJson": "{'retryDay':'x'}"}}
    with pytest.raises(IsalesError) as info:
        refs.scan(Pool(), 12)
    assert info.value.kind == "parse"
    assert info.value.msg.startswith("the retry policy of campaign C1 (Spring, started) could not be read: ")


def test_a_vdn_without_campaigns_reads_no_policy(server):
    server["campaigns"] = []
    assert refs.scan(Pool(), 12) == []
    assert server["sent"] == [("campaign.list", 12)]


# -- check_deletes --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("doomed", [
    [],
    [result("5", "No code", "")],
    [result("5", "No code", None), result("6", "Also none", "")],
])
def test_results_without_a_result_code_need_no_read(server, doomed):
    assert refs.check_deletes(Pool(), 12, doomed) is None
    assert server["sent"] == []


def test_a_code_no_campaign_names_may_be_deleted(server):
    server["policies"] = {"C1": policy("008"), "C2": None, "C3": policy("009")}
    assert refs.check_deletes(Pool(), 12, [result("5", "Do not call", "007"), result("6", "None", "")]) is None
    assert [call for call, _ident in server["sent"]] == ["campaign.list"] + ["retry_policy.get"] * 3


def test_a_code_a_campaign_names_is_refused_naming_it(server):
    server["policies"] = {"C1": policy("008"), "C2": policy("007"), "C3": None}
    with pytest.raises(ResourceError) as info:
        refs.check_deletes(Pool(), 12, [result("5", "Do not call", "007")])
    err = info.value
    assert err.msg == (
        "refusing to delete: the no-retry list of campaign C2 (Autumn, suspended) names the result code '007' of "
        "the external result 'Do not call' (defId 5). Deleting it would let numbers that must never be called again "
        "be called. Nothing was deleted. Detach the code first (huawei.isales.isales_retry_policies with state: "
        "absent), or set check_references: false to delete anyway")
    assert err.details == {"vdn_id": 12, "referenced": [{
        "defId": "5", "display_result": "Do not call", "result_code": "007",
        "used_by": [{"campaign_id": "C2", "campaign_name": "Autumn", "campaign_status": "suspended"}]}]}


def test_several_refusals_are_named_at_once(server):
    server["policies"] = {"C1": policy("007", "008"), "C2": policy("007"), "C3": policy("009")}
    doomed = [result("5", "Do not call", "007"), result("6", "Free", "010"), result("7", "Wrong number", "008"),
              result("8", "No code", "")]
    with pytest.raises(ResourceError) as info:
        refs.check_deletes(Pool(), 12, doomed)
    err = info.value
    assert ("the no-retry lists of campaigns C1 (Spring, started), C2 (Autumn, suspended) name the result code "
            "'007' of the external result 'Do not call' (defId 5); the no-retry list of campaign C1 (Spring, "
            "started) names the result code '008' of the external result 'Wrong number' (defId 7).") in err.msg
    assert "Deleting them would" in err.msg and "Detach the codes first" in err.msg
    assert [item["defId"] for item in err.details["referenced"]] == ["5", "7"]
    assert [ref["campaign_id"] for ref in err.details["referenced"][0]["used_by"]] == ["C1", "C2"]
    assert server["sent"].count(("campaign.list", 12)) == 1, "one scan for every delete"
    assert len([call for call in server["sent"] if call[0] == "retry_policy.get"]) == 3


def test_a_vanished_campaign_does_not_block_the_delete(server):
    server["policies"] = {"C1": gone("C1"), "C2": policy("008")}
    assert refs.check_deletes(Pool(), 12, [result("5", "Do not call", "007")]) is None


def test_a_campaign_that_cannot_be_read_refuses_every_delete(server):
    failure = IsalesError("HTTP 500 from the server for GET x", KIND_HTTP, status=500)
    server["policies"] = {"C1": policy(), "C2": failure}
    with pytest.raises(IsalesError) as info:
        refs.check_deletes(Pool(), 12, [result("5", "Do not call", "007")])
    err = info.value
    assert err is failure and err.kind == KIND_HTTP and err.status == 500
    assert err.msg.startswith("before deleting an external result that has a result code, the module checks that no "
                              "campaign's retry policy names it, and that check failed, so nothing was deleted: the "
                              "retry policy of campaign C2 (Autumn, suspended) could not be read: HTTP 500")
    assert err.msg.endswith("check_references: false deletes without it")


def test_a_failing_campaign_list_refuses_too(server, monkeypatch):
    def broken(client, vdn_id, pool=None):
        raise IsalesError("HTTP 502 from the server for GET /campaigns/12", KIND_HTTP, status=502)
    monkeypatch.setattr(refs, "list_campaigns", broken)
    with pytest.raises(IsalesError) as info:
        refs.check_deletes(Pool(), 12, [result("5", "Do not call", "007")])
    assert "so nothing was deleted: HTTP 502" in info.value.msg
