# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""isales_ob_result decisions, with HTTP mocked at the requests seam."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest
import responses

from ansible_collections.huawei.isales.plugins.modules import isales_ob_result

SECRET = "unit-secret-0123456789"
BASE = "https://isales.example.com:28443"
API = BASE + "/rest/isales/v1/openapi/campaigns/12/"
OK = {"returnCode": "0200000", "resultCode": "0200000", "returnDesc": "Success", "resultDesc": "Success"}


def ok(**extra):
    body = dict(OK)
    body.update(extra)
    return body


def listing(*items):
    data = [{"defId": d, "displayResult": t, "resultCode": c} for d, t, c in items]
    return ok(totalCount=len(data), data=data)


def detail(def_id, text, code, obs_codes):
    maps = [{"mapId": str(i), "defId": def_id, "failCode": c, "vdnId": 12} for i, c in enumerate(obs_codes)]
    return ok(obResult={"defId": def_id, "displayResult": text, "vdnId": 12, "resultCode": code,
                        "resultMapList": maps})


def args(**extra):
    value = dict(url=BASE, access_key="ak", secret_key=SECRET, vdn_id=12, display_result="No answer",
                 obs_codes=["00606", "00602", "00602"], result_code="007")
    value.update(extra)
    return value


@pytest.fixture
def run(run_module):
    def runner(**extra):
        result, failed = run_module(isales_ob_result.main, args(**extra))
        assert SECRET not in json.dumps(result)
        return result, failed
    return runner


def writes(api):
    return [call for call in api.calls if call.request.method in ("POST", "DELETE")]


CAMPAIGNS = BASE + "/rest/isales/v1/openapi/campaigns/12"


def campaigns(api, *rows):
    """The VDN's campaign list (one page) and, for each (id, name, policy codes or an error body), its policy."""
    listed = [{"campaignId": ident, "name": name, "status": 2} for ident, name, _policy in rows]
    api.add(responses.GET, CAMPAIGNS, json=ok(returnListObject=listed, totalCount=len(listed)))
    for ident, _name, policy in rows:
        body = policy if isinstance(policy, dict) else ok(data={"policyType": 0, "policyJson": "{}",
                                                                "noRetryPolicy": list(policy)})
        api.add(responses.GET, API + "retryPolicy/" + ident, json=body)


def policy_reads(api):
    return [call for call in api.calls if "/retryPolicy/" in call.request.url or call.request.url.split("?")[0] == CAMPAIGNS]


def test_create(api, run):
    api.add(responses.GET, API + "queryOBSResults", json=listing())
    api.add(responses.POST, API + "createObResult", json=ok(defId="1645244637", returnDesc="createObResult Success!"))
    # After its create the task reads the list again: is another run's copy there with a lower defId?
    api.add(responses.GET, API + "queryOBSResults", json=listing(("1645244637", "No answer", "007")))
    result, failed = run(_ansible_diff=True)
    assert not failed and result["changed"]
    assert result["defId"] == "1645244637"
    assert result["returnCode"] == "0200000" and result["returnDesc"] == "createObResult Success!"
    assert result["duplicates_removed"] == []
    assert result["ob_result"] == {"defId": "1645244637", "display_result": "No answer", "result_code": "007",
                                   "obs_codes": ["00602", "00606"], "vdn_id": 12}
    assert result["ansible_facts"]["isales_ob_result"] == {"defId": "1645244637", "returnCode": "0200000"}
    assert result["diff"] == {"before": {}, "after": {"display_result": "No answer", "result_code": "007",
                                                      "obs_codes": ["00602", "00606"]}}
    body = json.loads(writes(api)[0].request.body)
    assert body == {"resultCode": "007", "displayResult": "No answer", "obsCodes": ["00602", "00606"]}


def test_check_mode_create_writes_nothing(api, run):
    api.add(responses.GET, API + "queryOBSResults", json=listing())
    result, failed = run(_ansible_check_mode=True)
    assert not failed and result["changed"] and result["defId"] is None
    assert result["ob_result"]["defId"] is None and result["ob_result"]["obs_codes"] == ["00602", "00606"]
    assert not writes(api)


def test_no_change_when_equal_whatever_the_order(api, run):
    api.add(responses.GET, API + "queryOBSResults", json=listing(("5", "Busy", "003"), ("9", "No answer", "007")))
    api.add(responses.GET, API + "9/queryObsResultDetail", json=detail("9", "No answer", "007", ["00606", "00602"]))
    result, failed = run(_ansible_diff=True)
    assert not failed and not result["changed"] and result["defId"] == "9"
    assert result["diff"]["before"] == result["diff"]["after"]
    assert not writes(api)


def test_update_obs_codes_in_place(api, run):
    api.add(responses.GET, API + "queryOBSResults", json=listing(("9", "No answer", "007")))
    api.add(responses.GET, API + "9/queryObsResultDetail", json=detail("9", "No answer", "007", ["00602"]))
    api.add(responses.POST, API + "updateObResult", json=ok(returnDesc="updateObResult Success!"))
    result, failed = run(_ansible_diff=True)
    assert not failed and result["changed"] and result["defId"] == "9"
    assert result["diff"]["before"]["obs_codes"] == ["00602"]
    assert result["diff"]["after"]["obs_codes"] == ["00602", "00606"]
    assert json.loads(writes(api)[0].request.body) == {"defId": "9", "displayResult": "No answer",
                                                       "obsCodes": ["00602", "00606"]}


def test_display_text_changes_when_matched_by_result_code(api, run):
    api.add(responses.GET, API + "queryOBSResults", json=listing(("9", "Old text", "007")))
    api.add(responses.GET, API + "9/queryObsResultDetail", json=detail("9", "Old text", "007", ["00602", "00606"]))
    api.add(responses.POST, API + "updateObResult", json=ok())
    result, failed = run()
    assert result["changed"] and result["ob_result"]["display_result"] == "No answer"


def test_matched_by_display_text_reports_the_servers_result_code(api, run):
    api.add(responses.GET, API + "queryOBSResults", json=listing(("9", "No answer", "X1")))
    api.add(responses.GET, API + "9/queryObsResultDetail", json=detail("9", "No answer", "X1", ["00602", "00606"]))
    result, failed = run(result_code=None)
    assert not result["changed"] and result["ob_result"]["result_code"] == "X1"


def test_delete_and_delete_again(api, run):
    api.add(responses.GET, API + "queryOBSResults", json=listing(("9", "No answer", "007")))
    api.add(responses.GET, API + "9/queryObsResultDetail", json=detail("9", "No answer", "007", ["00602"]))
    api.add(responses.DELETE, API + "9/deleteObsResult", json=ok(returnDesc="deleteObsResult Success!"))
    campaigns(api, ("C1", "Spring", ["008"]))
    result, failed = run(state="absent", obs_codes=None, _ansible_diff=True)
    assert result["changed"] and result["defId"] == "9" and result["ob_result"] is None
    assert result["diff"]["after"] == {}
    api.add(responses.GET, API + "queryOBSResults", json=listing())
    result, failed = run(state="absent", obs_codes=None)
    assert not result["changed"] and result["defId"] is None
    assert len(writes(api)) == 1


def test_check_mode_delete_writes_nothing(api, run):
    api.add(responses.GET, API + "queryOBSResults", json=listing(("9", "No answer", "007")))
    api.add(responses.GET, API + "9/queryObsResultDetail", json=detail("9", "No answer", "007", ["00602"]))
    campaigns(api)
    result, failed = run(state="absent", _ansible_check_mode=True)
    assert result["changed"] and result["defId"] == "9" and not writes(api)


def test_results_that_differ_with_one_display_text_fail_listing_the_def_ids(api, run):
    api.add(responses.GET, API + "queryOBSResults", json=listing(("4", "No answer", ""), ("8", "No answer", "")))
    api.add(responses.GET, API + "4/queryObsResultDetail", json=detail("4", "No answer", "", ["00602"]))
    api.add(responses.GET, API + "8/queryObsResultDetail", json=detail("8", "No answer", "", ["00603"]))
    result, failed = run(result_code=None)
    assert failed and "4, 8" in result["msg"] and result["defIds"] == ["4", "8"]
    lists = [call for call in api.calls if "queryOBSResults" in call.request.url]
    assert len(lists) == 3, "read again twice first: another run may be removing its copy"
    assert not writes(api)


def test_identical_copies_are_merged_onto_the_lowest_def_id(api, run):
    copies = listing(("12", "No answer", ""), ("4", "No answer", ""), ("8", "No answer", ""))
    api.add(responses.GET, API + "queryOBSResults", json=copies)
    for def_id in ("12", "4", "8"):
        api.add(responses.GET, API + def_id + "/queryObsResultDetail",
                json=detail(def_id, "No answer", "", ["00602", "00606"]))
    api.add(responses.DELETE, API + "12/deleteObsResult", json=ok())
    api.add(responses.DELETE, API + "8/deleteObsResult", json=ok())
    result, failed = run(result_code=None)
    assert not failed and result["changed"] and result["defId"] == "4"
    assert result["duplicates_removed"] == ["8", "12"]
    assert sorted(call.request.url.split("/")[-2] for call in writes(api)) == ["12", "8"]


def test_identical_copies_in_check_mode_are_predicted_not_removed(api, run):
    api.add(responses.GET, API + "queryOBSResults", json=listing(("4", "No answer", ""), ("8", "No answer", "")))
    for def_id in ("4", "8"):
        api.add(responses.GET, API + def_id + "/queryObsResultDetail",
                json=detail(def_id, "No answer", "", ["00602", "00606"]))
    result, failed = run(result_code=None, _ansible_check_mode=True)
    assert not failed and result["changed"] and result["duplicates_removed"] == ["8"]
    assert not writes(api)


def test_a_racer_with_a_higher_def_id_removes_its_own_create(api, run):
    api.add(responses.GET, API + "queryOBSResults", json=listing())
    api.add(responses.POST, API + "createObResult", json=ok(defId="20"))
    # Another run created the same text meanwhile, and got the lower defId.
    api.add(responses.GET, API + "queryOBSResults", json=listing(("19", "No answer", ""), ("20", "No answer", "")))
    api.add(responses.DELETE, API + "20/deleteObsResult", json=ok())
    api.add(responses.GET, API + "19/queryObsResultDetail", json=detail("19", "No answer", "", ["00602", "00606"]))
    result, failed = run(result_code=None)
    assert not failed and result["changed"] and result["defId"] == "19"
    assert result["duplicates_removed"] == ["20"] and result["ob_result"]["defId"] == "19"
    assert [call.request.method for call in writes(api)] == ["POST", "DELETE"]


def test_a_racer_with_the_lowest_def_id_keeps_its_create(api, run):
    api.add(responses.GET, API + "queryOBSResults", json=listing())
    api.add(responses.POST, API + "createObResult", json=ok(defId="19"))
    api.add(responses.GET, API + "queryOBSResults", json=listing(("19", "No answer", ""), ("20", "No answer", "")))
    result, failed = run(result_code=None)
    assert not failed and result["defId"] == "19" and result["duplicates_removed"] == []
    assert [call.request.method for call in writes(api)] == ["POST"], "never another run's copy"


def test_a_racer_refused_because_the_result_code_exists_converges(api, run):
    api.add(responses.GET, API + "queryOBSResults", json=listing())
    api.add(responses.POST, API + "createObResult",
            json={"returnCode": "0200001", "returnDesc": "resultCode 007 already exists"})
    api.add(responses.GET, API + "queryOBSResults", json=listing(("19", "No answer", "007")))
    api.add(responses.GET, API + "19/queryObsResultDetail", json=detail("19", "No answer", "007", ["00602", "00606"]))
    result, failed = run()
    assert not failed and result["defId"] == "19" and len(writes(api)) == 1


def test_a_result_code_refusal_the_state_does_not_explain_fails(api, run):
    api.add(responses.GET, API + "queryOBSResults", json=listing())
    api.add(responses.POST, API + "createObResult",
            json={"returnCode": "0200001", "returnDesc": "resultCode 007 already exists"})
    result, failed = run()
    assert failed and result["returnCode"] == "0200001" and "already exists" in result["msg"]
    assert len(writes(api)) == 1


def test_a_racer_whose_text_was_taken_with_another_result_code_fails_saying_so(api, run):
    api.add(responses.GET, API + "queryOBSResults", json=listing())
    api.add(responses.POST, API + "createObResult", json=ok(defId="20"))
    api.add(responses.GET, API + "queryOBSResults", json=listing(("19", "No answer", "006"), ("20", "No answer", "007")))
    api.add(responses.DELETE, API + "20/deleteObsResult", json=ok())
    api.add(responses.GET, API + "19/queryObsResultDetail", json=detail("19", "No answer", "006", ["00602"]))
    result, failed = run()
    assert failed and "another run created an external result with the display text" in result["msg"]
    assert "was removed again" in result["msg"] and result["duplicates_removed"] == ["20"]


def test_a_delete_of_a_result_already_gone_counts_as_done(api, run):
    api.add(responses.GET, API + "queryOBSResults", json=listing(("9", "No answer", "007")))
    api.add(responses.GET, API + "9/queryObsResultDetail", json=detail("9", "No answer", "007", ["00602"]))
    api.add(responses.DELETE, API + "9/deleteObsResult",
            json={"returnCode": "02000007", "returnDesc": "defId 9 does not exist"})
    api.add(responses.GET, API + "queryOBSResults", json=listing())
    campaigns(api)
    result, failed = run(state="absent")
    assert not failed and result["changed"] and result["ob_result"] is None


def test_second_result_with_the_same_display_text_is_never_created(api, run):
    api.add(responses.GET, API + "queryOBSResults", json=listing(("4", "No answer", "")))
    result, failed = run()
    assert failed and "already has an external result with the display text" in result["msg"]
    assert "defId 4" in result["msg"] and "remove it first" in result["msg"]
    assert not writes(api)


def test_display_text_update_onto_another_results_text_is_refused(api, run):
    api.add(responses.GET, API + "queryOBSResults", json=listing(("4", "No answer", "X"), ("9", "Old", "007")))
    api.add(responses.GET, API + "9/queryObsResultDetail", json=detail("9", "Old", "007", ["00602", "00606"]))
    result, failed = run()
    assert failed and "result_code: 'X'" in result["msg"] and not writes(api)


def test_vendor_error_is_reported_with_its_meaning(api, run):
    api.add(responses.GET, API + "queryOBSResults", json=listing())
    api.add(responses.POST, API + "createObResult",
            json={"returnCode": "02000007", "resultCode": "02000007", "returnDesc": "unknown obsCodes: 00606"})
    result, failed = run()
    assert failed and result["returnCode"] == "02000007" and result["meaning"] == "incorrect parameter value"
    assert "unknown obsCodes: 00606" in result["msg"] and result["call"].endswith("createObResult")


def test_ambiguous_create_that_happened_is_not_repeated(api, run):
    api.add(responses.GET, API + "queryOBSResults", json=listing())
    api.add(responses.POST, API + "createObResult", status=504, body="<html>Gateway Timeout</html>")
    api.add(responses.GET, API + "queryOBSResults", json=listing(("77", "No answer", "007")))
    api.add(responses.GET, API + "77/queryObsResultDetail", json=detail("77", "No answer", "007", ["00602", "00606"]))
    result, failed = run()
    assert not failed and result["changed"] and result["defId"] == "77"
    assert len(writes(api)) == 1


def test_ambiguous_create_that_landed_beside_a_racers_copy_leaves_one_result(fake, run):
    # Our create lands but its answer is lost (502); another run created the same text at the same moment.
    fake.racers["No answer"] = "7"
    fake.fail("ob_result.create", status=502, act=True)
    result, failed = run(result_code=None)
    assert not failed and result["changed"]
    assert list(fake.vdns[12]) == ["7"], "one result stays: the lowest defId"
    assert result["defId"] == "7" and len(result["duplicates_removed"]) == 1
    assert fake.count("ob_result.create") == 1 and fake.count("ob_result.delete") == 1
    result, failed = run(result_code=None)
    assert not failed and not result["changed"], "the next run changes nothing"


def test_ambiguous_create_that_did_not_happen_is_tried_again(api, run):
    api.add(responses.GET, API + "queryOBSResults", json=listing())
    api.add(responses.POST, API + "createObResult", status=502, body="")
    api.add(responses.GET, API + "queryOBSResults", json=listing())
    api.add(responses.POST, API + "createObResult", json=ok(defId="78"))
    result, failed = run()
    assert not failed and result["changed"] and result["defId"] == "78"
    assert len(writes(api)) == 2


def test_ambiguous_create_gives_up_after_retries(api, run):
    api.add(responses.GET, API + "queryOBSResults", json=listing())
    api.add(responses.POST, API + "createObResult", status=503, body="busy")
    result, failed = run(retries=1)
    assert failed and "failed after 2 tries" in result["msg"] and "had not happened" in result["msg"]
    assert len(writes(api)) == 2 and result["attempts"] == 2


@pytest.mark.parametrize("extra,fragment", [
    (dict(vdn_id=0), "vdn_id must be an integer from 1 to 9999"),
    (dict(vdn_id=10000), "vdn_id must be an integer from 1 to 9999"),
    (dict(display_result="  "), "display_result must not be empty"),
    (dict(display_result="a\nb"), "display_result must not contain control characters (found U+000A)"),
    (dict(result_code="12345678"), "result_code must be 1 to 7 characters long"),
    (dict(result_code=""), "result_code must be 1 to 7 characters long"),
    (dict(obs_codes=[]), "obs_codes must list at least one OBS code"),
    (dict(obs_codes=["00602", ""]), "obs_codes must not hold empty codes (items 2)"),
    (dict(obs_codes=None), "obs_codes"),
    (dict(url="isales.example.com"), "url must be a base URL"),
    (dict(timeout=0), "timeout must be at least 1 second"),
    (dict(retries=11), "retries must be from 0 to 10"),
    (dict(state="gone"), "state"),
    (dict(ca_path="/nonexistent/isales-ca.pem"), "ca_path /nonexistent/isales-ca.pem does not exist"),
    (dict(display_result="No answer "), "display_result must not start or end with whitespace"),
])
def test_bad_input_fails_before_any_request(api, run, extra, fragment):
    result, failed = run(**extra)
    assert failed and fragment in result["msg"]
    assert len(api.calls) == 0


def test_connection_options_come_from_the_environment(api, run_module, monkeypatch):
    api.add(responses.GET, API + "queryOBSResults", json=listing())
    for name, value in (("ISALES_URL", BASE), ("ISALES_ACCESS_KEY", "env-ak"), ("ISALES_SECRET_KEY", SECRET),
                        ("ISALES_TIMEOUT", "9")):
        monkeypatch.setenv(name, value)
    result, failed = run_module(isales_ob_result.main, dict(vdn_id=12, display_result="x", obs_codes=["1"],
                                                            _ansible_check_mode=True))
    assert not failed and result["changed"]
    assert api.calls[0].request.headers["Authorization"].startswith("auth-v2/env-ak/")
    assert api.calls[0].request.req_kwargs["timeout"] == 9


@pytest.mark.parametrize("extra,words", [
    (dict(url="http://isales.example.com:28080"), ["plain HTTP", "replay", "15 minutes"]),
    (dict(validate_certs=False), ["validate_certs is false", "replay", "ca_path"]),
])
def test_settings_that_expose_the_signed_requests_are_warned_about(run_module, extra, words):
    base = extra.get("url", BASE)
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, base + "/rest/isales/v1/openapi/campaigns/12/queryOBSResults", json=listing())
        result, failed = run_module(isales_ob_result.main, args(_ansible_check_mode=True, **extra))
    assert not failed and len(result["warnings"]) == 1
    for word in words:
        assert word in result["warnings"][0]


def test_no_warning_for_verified_https(api, run):
    api.add(responses.GET, API + "queryOBSResults", json=listing())
    result, failed = run(_ansible_check_mode=True)
    assert not failed and "warnings" not in result


def test_a_missing_ca_path_is_no_problem_when_verification_is_off(api, run):
    api.add(responses.GET, API + "queryOBSResults", json=listing())
    result, failed = run(_ansible_check_mode=True, validate_certs=False, ca_path="/nonexistent/ca.pem")
    assert not failed


# -- the reference guard on a delete (check_references), against the simulator -----------------------------------


def guarded(fake):
    """VDN 12: "No answer" (007), "Busy" (008), "Silent" (no code); C1 (started) and C2 (suspended) name 007
    in their no-retry lists, C3 (completed) names 008, C4 has no policy."""
    ids = fake.seed(12, ("No answer", "007", ["00602"]), ("Busy", "008", ["00603"]), ("Silent", None, ["00604"]))
    fake.seed_campaigns(12, {"campaignId": "C1", "name": "Spring", "status": 2, "retryPolicy": {
        "policyType": 0, "policyJson": "{'type':0,'noRetryPolicy':['007']}", "noRetryPolicy": ["007"]}},
        {"campaignId": "C2", "name": "Autumn", "status": 3, "retryPolicy": {
            "policyType": 0, "policyJson": '{"type":0}', "noRetryPolicy": "007,009"}},
        {"campaignId": "C3", "name": "Winter", "status": 4, "retryPolicy": {
            "policyType": 0, "policyJson": '{"noRetryPolicy":["008"]}'}},
        {"campaignId": "C4", "name": "Bare", "status": 2})
    return ids


def campaign_reads(fake):
    return fake.count("campaign.list", "retry_policy.get", "campaign.detail")


def test_deleting_a_result_a_campaign_names_is_refused(fake, run):
    ids = guarded(fake)
    result, failed = run(state="absent", obs_codes=None)
    assert failed
    msg = result["msg"]
    assert msg.startswith("refusing to delete: the no-retry lists of campaigns C1 (Spring, started), C2 (Autumn, "
                          "suspended) name the result code '007' of the external result 'No answer' (defId %s)"
                          % ids[0])
    assert "C3" not in msg and "Nothing was deleted" in msg and "check_references: false" in msg
    assert result["referenced"] == [{"defId": ids[0], "display_result": "No answer", "result_code": "007", "used_by": [
        {"campaign_id": "C1", "campaign_name": "Spring", "campaign_status": "started"},
        {"campaign_id": "C2", "campaign_name": "Autumn", "campaign_status": "suspended"}]}]
    assert fake.writes() == [] and not result["changed"]
    assert fake.state(12)["No answer"] == ("007", ["00602"])
    assert fake.count("campaign.list") == 1 and fake.count("retry_policy.get") == 4


def test_check_mode_predicts_the_same_refusal(fake, run):
    ids = guarded(fake)
    result, failed = run(state="absent", obs_codes=None, _ansible_check_mode=True)
    assert failed and "refusing to delete" in result["msg"] and "(defId %s)" % ids[0] in result["msg"]
    assert [item["campaign_id"] for item in result["referenced"][0]["used_by"]] == ["C1", "C2"]
    assert fake.writes() == []


def test_check_references_false_deletes_without_reading_a_campaign(fake, run):
    guarded(fake)
    result, failed = run(state="absent", obs_codes=None, check_references=False)
    assert not failed and result["changed"] and result["ob_result"] is None
    assert campaign_reads(fake) == 0
    assert "No answer" not in fake.state(12) and fake.count("ob_result.delete") == 1


def test_a_result_without_a_result_code_is_deleted_without_reading_a_campaign(fake, run):
    guarded(fake)
    result, failed = run(state="absent", display_result="Silent", result_code=None, obs_codes=None)
    assert not failed and result["changed"]
    assert campaign_reads(fake) == 0 and "Silent" not in fake.state(12)


def test_a_result_no_campaign_names_is_deleted_after_one_scan(fake, run):
    ids = guarded(fake)
    fake.seed(12, ("Free", "010", ["00605"]))
    result, failed = run(state="absent", display_result="Free", result_code="010", obs_codes=None, max_workers=3)
    assert not failed and result["changed"]
    assert fake.count("campaign.list") == 1 and fake.count("retry_policy.get") == 4
    assert "Free" not in fake.state(12) and len(fake.state(12)) == len(ids)


def test_nothing_to_delete_reads_no_campaign(fake, run):
    guarded(fake)
    result, failed = run(state="absent", display_result="Gone", result_code="011", obs_codes=None)
    assert not failed and not result["changed"] and campaign_reads(fake) == 0


def test_a_vanished_campaign_is_left_out_and_the_delete_goes_on(fake, run):
    guarded(fake)
    for ident in ("C1", "C2"):   # both campaigns that name 007 are gone by the time their policy is read
        fake.faults.add([{"call": "retry_policy.get", "kind": "rewrite", "act": False, "where": {"campaignId": ident},
                          "set": {"returnCode": "0200007", "resultCode": "0200007", "returnDesc": "no campaign",
                                  "data": None}}])
    result, failed = run(state="absent", obs_codes=None)
    assert not failed and result["changed"]
    assert "No answer" not in fake.state(12) and fake.count("ob_result.delete") == 1


@pytest.mark.parametrize("fault,extra,fragment,details", [
    ({"kind": "rewrite", "act": False,
      "set": {"returnCode": "0200001", "resultCode": "0200001", "returnDesc": "busy elsewhere"}}, {}, "returnCode 0200001",
     {"error_kind": "api", "returnCode": "0200001"}),
    ({"kind": "status", "status": 500, "count": 5}, {"retries": 1}, "HTTP 500",
     {"error_kind": "http", "status": 500, "attempts": 2}),
])
def test_another_read_failure_refuses_the_delete_naming_the_campaign(fake, run, fault, extra, fragment, details):
    guarded(fake)
    fake.faults.add([dict(fault, call="retry_policy.get", where={"campaignId": "C3"})])
    result, failed = run(state="absent", obs_codes=None, max_workers=1, **extra)
    assert failed
    assert "check_references" in result["msg"] and "nothing was deleted" in result["msg"]
    assert "the retry policy of campaign C3 (Winter, completed) could not be read" in result["msg"]
    assert fragment in result["msg"]
    assert dict((key, result.get(key)) for key in details) == details
    assert "retryPolicy/C3" in result["call"]
    assert fake.writes() == [] and fake.state(12)["No answer"] == ("007", ["00602"])
