# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tests of the simulator's campaigns and retry policies: the calls, their refusals, the layout variants and
the per-VDN switches, against a real server (the fixtures and helpers of test_isales_simulator)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest
import requests

# pylint: disable=unused-import,redefined-outer-name
from test_isales_simulator import API, _fresh, create, server_fixture, sim, vendor  # noqa: F401

from sim_resources import policy_text  # noqa: E402  (on sys.path through test_isales_simulator)

SAMPLE = "[{'dataType':'SI','type':1,'policy':[{'result':4,'retryNumber':3,'callInterval':600}]}]"
ALL = {"status": "0", "deviceType": "0"}


def seed(server, *campaigns, vdn=12):
    return server.admin("POST", "campaigns", {"vdnId": vdn, "campaigns": list(campaigns)})["campaignIds"]


def configure(server, vdn=12, **switches):
    return server.admin("POST", "campaign-config", dict(switches, vdnId=vdn))


def listing(server, code="0200000", vdn=12, **query):
    return vendor(server.api("GET", str(vdn), query=dict(ALL, **query)), code)


def policy(server, campaign_id, code="0200000"):
    return vendor(server.api("GET", "12/retryPolicy/%s" % campaign_id), code).get("data")


def set_policy(server, campaign_id, policy_json, policy_type=0, code="0200000"):
    if not isinstance(policy_json, str):
        policy_json = json.dumps(policy_json)
    body = {"policyType": policy_type, "policyJson": policy_json}
    return vendor(server.api("POST", "12/retryPolicy/%s" % campaign_id, body=body), code)


def ids(page, rows_key="returnListObject"):
    return [row["campaignId"] for row in page[rows_key]]


def campaign(campaign_id, name="Spring", status=2, device_type=2, **more):
    return dict({"campaignId": campaign_id, "name": name, "status": status, "deviceType": device_type}, **more)


# ---------------------------------------------------------------- campaigns

def test_list_filters_by_status_device_type_and_a_name_substring(server):
    seed(server, campaign("C1", "Spring sale"), campaign("C2", "spring", 3, 5), campaign("C3", "Autumn", 4, 1),
         campaign("C4", "Spring sale", 2, 6))
    page = listing(server)
    assert page["totalCount"] == 4
    assert page["returnListObject"][1] == {"campaignId": "C2", "name": "spring", "status": 3, "deviceType": 5}
    assert ids(listing(server, status="2")) == ["C1", "C4"]
    assert ids(listing(server, deviceType="5")) == ["C2"]
    assert ids(listing(server, name="pring")) == ["C1", "C2", "C4"], "a substring"
    assert ids(listing(server, name="spring")) == ["C2"], "case-sensitive"
    assert ids(listing(server, name="Spring sale")) == ["C1", "C4"], "two campaigns may share a name"
    assert listing(server, name="sale", status="4")["returnListObject"] == []
    assert (listing(server, vdn=13)["totalCount"], listing(server, vdn=13)["returnListObject"]) == (0, [])


@pytest.mark.parametrize("query,code", [
    ({"deviceType": "0"}, "02000001"), ({"status": "0"}, "02000001"), ({"status": "", "deviceType": "0"}, "02000001"),
    ({"status": "x", "deviceType": "0"}, "02000006"), ({"status": "1", "deviceType": "0"}, "02000007"),
    ({"status": "0", "deviceType": "4"}, "02000007"), (dict(ALL, rowsPerPage="101"), "02000005"),
    (dict(ALL, rowsPerPage="0"), "02000005"), (dict(ALL, curPage="one"), "02000006"), (dict(ALL, name="n" * 31), "02000003"),
])
def test_list_refusals(server, query, code):
    vendor(server.api("GET", "12", query=query), code)


def test_list_paging_with_and_without_ignoring_rows_per_page(server):
    seed(server, *[campaign("C%02d" % index, "Camp %d" % index) for index in range(25)])
    assert ids(listing(server)) == ["C%02d" % i for i in range(10)], "rowsPerPage defaults to 10"
    assert ids(listing(server, curPage="0", rowsPerPage="20")) == ["C%02d" % i for i in range(20)], "curPage < 1 is 1"
    assert ids(listing(server, curPage="2", rowsPerPage="20")) == ["C%02d" % i for i in range(20, 25)]
    assert listing(server, curPage="9", rowsPerPage="100") == dict(listing(server, curPage="9"), returnListObject=[])
    configure(server, ignore_rows_per_page=True)
    assert ids(listing(server, rowsPerPage="20")) == ["C%02d" % i for i in range(10)]
    assert ids(listing(server, curPage="3", rowsPerPage="100")) == ["C%02d" % i for i in range(20, 25)]
    assert listing(server, rowsPerPage="20")["totalCount"] == 25
    listing(server, "02000005", rowsPerPage="101")


@pytest.mark.parametrize("rows_key,id_key,total_key", [
    ("returnListObject", "campaignId", "totalCount"), ("returnObject", "id", "total"), ("data", "id", "totalCount"),
    ("data", "campaignId", "total"),
])
def test_list_layout_variants(server, rows_key, id_key, total_key):
    seed(server, campaign("C1"))
    seed(server, campaign("C9"), vdn=13)
    configure(server, rows_key=rows_key, id_key=id_key, total_key=total_key)
    page = listing(server)
    assert page[rows_key] == [{id_key: "C1", "name": "Spring", "status": 2, "deviceType": 2}] and page[total_key] == 1
    others = set(("returnListObject", "returnObject", "data", "campaignId", "id", "totalCount", "total"))
    assert not (others - {rows_key, id_key, total_key}) & set(page)
    assert set(listing(server, vdn=13)) >= {"returnListObject", "totalCount"}, "the switches are per VDN"


def test_detail_and_unknown_campaign(server):
    seed(server, campaign("C1", description="Outbound", strBeginTime="2026-01-01 08:00:00",
                          strEndTime="2026-06-30 20:00:00"))
    assert vendor(server.api("GET", "12/C1"))["returnObject"] == {
        "campaignId": "C1", "name": "Spring", "description": "Outbound", "status": 2, "deviceType": 2,
        "strBeginTime": "2026-01-01 08:00:00", "strEndTime": "2026-06-30 20:00:00"}
    assert vendor(server.api("GET", "12/C2"), "0200007")["returnDesc"] == "campaign C2 does not exist"
    vendor(server.api("GET", "13/C1"), "0200007")
    assert [r["call"] for r in server.requests_log()] == ["campaign.detail"] * 3


# ---------------------------------------------------------------- retry policies: seeded verbatim

SEEDED_POLICIES = {
    "strict 2023, noRetryPolicy JSON text": {
        "retryPolicyId": "P1", "policyType": 0, "noRetryPolicy": '["007","008"]',
        "policyJson": '{"type":1,"retryDay":2,"retryTimes":3,"policy":"[{\\"result\\":4,\\"retryNumber\\":3,'
                      '\\"callInterval\\":600}]","noRetryPolicy":["007","008"]}'},
    "single-quoted, unknown key, csv": {
        "retryPolicyId": "P2", "policyType": 0, "noRetryPolicy": "007,008",
        "policyJson": "{'type':0,'retryDay':1,'retryTimes':2,'vendorExtra':'x','noRetryPolicy':['007','008']}"},
    "2025 layout, array, busiPolicy": {
        "retryPolicyId": "P3", "policyType": 0, "noRetryPolicy": ["007"], "busiPolicy": {"mode": 1},
        "policyJson": '{"type":1,"policy":{"retryDay":2,"retryTimes":3,"results":[{"result":4,"retryNumber":1,'
                      '"callInterval":60}]},"noRetryPolicy":["007"]}'},
    "empty": {"retryPolicyId": "P4", "policyType": 0, "noRetryPolicy": "", "policyJson": '{"type":0}'},
    "null": {"retryPolicyId": "P5", "policyType": 0, "noRetryPolicy": None, "policyJson": '{"type":0}'},
    "only inside policyJson": {"retryPolicyId": "P6", "policyType": 0,
                               "policyJson": '{"type":0,"noRetryPolicy":["007"]}'},
    "data differs from policyJson": {"retryPolicyId": "P7", "policyType": 0, "noRetryPolicy": "008",
                                     "policyJson": '{"type":0,"noRetryPolicy":["007"]}'},
    "number-type": {"retryPolicyId": "P8", "policyType": 1, "policyJson": SAMPLE},
    "data empty": {},
}


@pytest.mark.parametrize("data", list(SEEDED_POLICIES.values()), ids=list(SEEDED_POLICIES))
def test_seeded_policies_are_answered_verbatim(server, data):
    seed(server, campaign("C1", retryPolicy=data))
    configure(server, no_retry_form="csv")   # the form applies to what a POST stored, not to a seeded policy
    assert policy(server, "C1") == data
    assert server.admin("GET", "campaigns", params={"vdn": 12})["campaigns"][0]["retryPolicy"] == data


def test_campaign_without_a_policy_answers_null(server):
    seed(server, campaign("C1"), campaign("C2", retryPolicy=None))
    assert policy(server, "C1") is None and policy(server, "C2") is None
    policy(server, "C3", "0200007")
    vendor(server.api("POST", "12/retryPolicy/C3", body={"policyType": 0, "policyJson": "{}"}), "0200007")
    set_policy(server, "C1", {"type": 0, "retryDay": 1, "retryTimes": 1})
    created = policy(server, "C1")
    assert created["retryPolicyId"].isdigit() and json.loads(created["policyJson"])["retryDay"] == 1


def test_retry_policy_segment_wins_over_campaign_routes(server):
    assert sim.route(API + "12/retryPolicy/C1", "GET").call == "retry_policy.get"
    assert sim.route(API + "12/retryPolicy/C1", "POST").call == "retry_policy.set"
    odd = sim.route(API + "12/retryPolicy/queryObsResultDetail", "GET")
    assert (odd.call, odd.params) == ("retry_policy.get", {"vdnId": "12", "campaignId": "queryObsResultDetail"})
    assert sim.route(API + "12/retryPolicy", "GET").call == "campaign.detail"
    assert sim.route(API + "12", "GET").call == "campaign.list"
    assert not sim.route(API + "12/createObResult", "GET").fits("GET"), "GET on a POST call stays a 405"
    seed(server, campaign("retryPolicy"), campaign("C1"))
    assert vendor(server.api("GET", "12/retryPolicy"))["returnObject"]["campaignId"] == "retryPolicy"
    resp = server.api("DELETE", "12/retryPolicy/C1")
    assert resp.status_code == 405 and resp.headers["Allow"] == "GET, POST"


# ---------------------------------------------------------------- retry policies: set

@pytest.mark.parametrize("form,field", [
    ("json_text", '["007","008"]'), ("csv", "007,008"), ("array", ["007", "008"]), ("empty", ""), ("null", None),
    ("absent", "-"),
])
def test_set_replaces_the_whole_document_and_mirrors_no_retry_policy(server, form, field):
    seed(server, campaign("C1", retryPolicy={"retryPolicyId": "P1", "policyType": 0, "busiPolicy": "b",
                                             "policyJson": '{"type":0,"retryDay":3,"vendorExtra":1}'}))
    configure(server, no_retry_form=form)
    set_policy(server, "C1", {"type": 1, "noRetryPolicy": ["007", "008"]})
    data = policy(server, "C1")
    assert json.loads(data["policyJson"]) == {"type": 1, "noRetryPolicy": ["007", "008"]}, "nothing carried over"
    assert (data["retryPolicyId"], data["policyType"], data["busiPolicy"]) == ("P1", 0, "b")
    assert data.get("noRetryPolicy", "-") == field
    set_policy(server, "C1", {"type": 0})
    assert policy(server, "C1").get("noRetryPolicy", "-") == {"json_text": "[]", "csv": "", "array": []}.get(form, field)


def test_set_reads_the_single_quoted_vendor_sample(server):
    seed(server, campaign("C1"))
    set_policy(server, "C1", SAMPLE, policy_type=1)
    data = policy(server, "C1")
    assert data["policyType"] == 1
    assert json.loads(data["policyJson"]) == [{"dataType": "SI", "type": 1, "policy": [
        {"result": 4, "retryNumber": 3, "callInterval": 600}]}]
    set_policy(server, "C1", "{'name':'it\\'s \"x\"','noRetryPolicy':['007']}")
    assert json.loads(policy(server, "C1")["policyJson"]) == {"name": "it's \"x\"", "noRetryPolicy": ["007"]}


@pytest.mark.parametrize("body,code", [
    ({"policyJson": "{}"}, "02000001"), ({"policyType": "x", "policyJson": "{}"}, "02000006"),
    ({"policyType": 2, "policyJson": "{}"}, "02000007"), ({"policyType": 0}, "02000001"),
    ({"policyType": 0, "policyJson": {}}, "02000006"), ({"policyType": 0, "policyJson": "{bad"}, "02000008"),
    ({"policyType": 0, "policyJson": "[]"}, "02000007"), ({"policyType": 1, "policyJson": "{}"}, "02000007"),
    ({"policyType": 1, "policyJson": '[{"dataType":"SI","noRetryPolicy":["007"]}]'}, "02000009"),
    ({"policyType": 0, "policyJson": '{"retryDay":NaN}'}, "02000008"),
    ({"policyType": 0, "policyJson": '{"a":' * 30 + "1" + "}" * 30}, "02000008"),
    ({"policyType": 0, "policyJson": '{"noRetryPolicy":[7]}'}, "02000006"),
])
def test_set_refusals_store_nothing(server, body, code):
    seed(server, campaign("C1", retryPolicy={"policyType": 0, "policyJson": "{}"}))
    vendor(server.api("POST", "12/retryPolicy/C1", body=body), code)
    assert policy(server, "C1") == {"policyType": 0, "policyJson": "{}"}


def test_unknown_result_codes_keep_or_refuse(server):
    seed(server, campaign("C1"))
    create(server, display="Do not call", code="007")
    set_policy(server, "C1", {"noRetryPolicy": ["007", "099"]})
    assert json.loads(policy(server, "C1")["policyJson"])["noRetryPolicy"] == ["007", "099"], "keep is the default"
    configure(server, unknown_result_codes="refuse")
    set_policy(server, "C1", {"noRetryPolicy": ["099"]}, code="02000007")
    assert json.loads(policy(server, "C1")["policyJson"])["noRetryPolicy"] == ["007", "099"]
    set_policy(server, "C1", {"noRetryPolicy": ["007"]})


@pytest.mark.parametrize("switch", ["keep", "drop"])
def test_deleting_a_result_keeps_or_drops_its_code(server, switch):
    configure(server, on_result_delete=switch, no_retry_form="csv")
    seed(server, campaign("C1"), campaign("C2", retryPolicy={
        "policyType": 0, "noRetryPolicy": '["007","008"]', "policyJson": "{'vendorExtra':1,'noRetryPolicy':['007','008']}"}))
    gone, _kept = create(server, display="Gone", code="007"), create(server, display="Kept", code="008")
    set_policy(server, "C1", {"noRetryPolicy": ["007", "008"]})
    vendor(server.api("DELETE", "12/%s/deleteObsResult" % gone))
    stored, seeded = policy(server, "C1"), policy(server, "C2")
    if switch == "keep":
        assert stored["noRetryPolicy"] == "007,008" and seeded["noRetryPolicy"] == '["007","008"]'
        assert seeded["policyJson"] == "{'vendorExtra':1,'noRetryPolicy':['007','008']}"
    else:
        assert stored["noRetryPolicy"] == "008" and json.loads(stored["policyJson"]) == {"noRetryPolicy": ["008"]}
        assert seeded["noRetryPolicy"] == '["008"]', "the seeded field keeps its form"
        assert json.loads(seeded["policyJson"]) == {"vendorExtra": 1, "noRetryPolicy": ["008"]}


# ---------------------------------------------------------------- faults, log, admin API

def test_fault_where_selects_one_campaign(server):
    seed(server, campaign("C1"), campaign("C2"))
    server.admin("POST", "faults", {"faults": [
        {"call": "retry_policy.get", "kind": "status", "status": 502, "where": {"campaignId": "C2"}},
        {"call": "campaign.list", "kind": "rewrite", "set": {"total": 7}}]})
    assert policy(server, "C1") is None
    assert server.api("GET", "12/C2").status_code == 200, "another call: no fault"
    assert server.api("GET", "12/retryPolicy/C2").status_code == 502
    assert listing(server)["total"] == 7
    assert [(r["call"], r["fault"]) for r in server.requests_log()] == [
        ("retry_policy.get", None), ("campaign.detail", None), ("retry_policy.get", "status"),
        ("campaign.list", "rewrite")]
    rule = {"call": "retry_policy.set", "kind": "status", "where": {"defId": "1"}}
    refused = server.admin("POST", "faults", {"faults": [rule]}, expect=400)["error"]
    assert "defId not a path parameter of retry_policy.set" in refused
    server.admin("POST", "faults", {"faults": [{"call": "retry_policy.set", "kind": "reset_before"}]})
    with pytest.raises(requests.ConnectionError):
        set_policy(server, "C1", {"type": 0})
    assert policy(server, "C1") is None, "not performed"


def test_admin_seeding_config_and_reset(server):
    assert configure(server) == {"vdnId": 12, "rows_key": "returnListObject", "id_key": "campaignId",
                                 "total_key": "totalCount", "ignore_rows_per_page": False, "no_retry_form": "json_text",
                                 "unknown_result_codes": "keep", "on_result_delete": "keep"}
    assert configure(server, id_key="id", vdn=13)["id_key"] == "id"
    assert server.admin("GET", "campaign-config", params={"vdn": 13})["id_key"] == "id"
    for bad in ({"rows_key": "rows"}, {"ignore_rows_per_page": 1}, {"colour": "red"}, {"vdnId": 0}):
        server.admin("POST", "campaign-config", dict({"vdnId": 12}, **bad), expect=400)
    assert seed(server, campaign("C1"), campaign("C2")) == ["C1", "C2"]
    seed(server, campaign("C1"), vdn=13)
    for items in ([campaign("C1")], [campaign("C3"), campaign("C3")], [{"campaignId": "C4", "name": "x", "policy": 1}],
                  [campaign("")], [campaign("C5", status="2")], [campaign("C6", retryPolicy=[])]):
        server.admin("POST", "campaigns", {"vdnId": 12, "campaigns": items}, expect=400)
    assert [c["campaignId"] for c in server.admin("GET", "campaigns", params={"vdn": 12})["campaigns"]] == ["C1", "C2"]
    assert set(server.admin("GET", "campaigns")["vdns"]) == {"12", "13"}
    server.admin("DELETE", "campaigns", params={"vdn": 13})
    assert server.admin("GET", "campaigns", params={"vdn": 13})["campaigns"] == []
    server.admin("POST", "reset")
    assert server.admin("GET", "campaigns") == {"vdns": {}}
    assert server.admin("GET", "campaign-config", params={"vdn": 13})["id_key"] == "campaignId"
    seed(server, campaign("C1"))
    configure(server, total_key="total")
    server.admin("DELETE", "campaigns")
    assert listing(server)["total"] == 0, "the switches stay"


# ---------------------------------------------------------------- offline

@pytest.mark.parametrize("text,value", [
    ('{"a":[1,2.5,true,null]}', {"a": [1, 2.5, True, None]}), ("{'a':'b'}", {"a": "b"}),
    ("['it\\'s', \"q'\", 'say \"hi\"']", ["it's", "q'", 'say "hi"']), ("{'u':'\\u00e9'}", {"u": "\u00e9"}),
])
def test_lenient_reading(text, value):
    assert policy_text.loads_lenient(text) == value


@pytest.mark.parametrize("text", ["{'a':1", "{'a':Infinity}", "[1e999]", "[" + "9" * 19 + "]", "[" * 21 + "]" * 21,
                                  "{a:1}", "('a',)"])
def test_lenient_reading_refuses(text):
    with pytest.raises(ValueError):
        policy_text.loads_lenient(text)
