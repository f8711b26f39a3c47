# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The retry-policy parser and planner: every documented variant read, nothing dropped on write,
strict JSON out; hypothesis: no input makes them fail but cleanly, and a write form reads back the same."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.huawei.isales.plugins.module_utils import _retry_policy as rp
from ansible_collections.huawei.isales.plugins.module_utils._answers import BadAnswer
from ansible_collections.huawei.isales.plugins.module_utils._errors import IsalesError, ResourceError

EXAMPLES = int(os.environ.get("ISALES_HYPOTHESIS_EXAMPLES", "150"))
CALL = "GET /rest/isales/v1/openapi/campaigns/12/retryPolicy/1001"
CAMPAIGN = {"id": "1001", "name": "Spring", "status": "started"}
RESULTS = [{"defId": "1", "displayResult": "Do not call", "resultCode": "007"},
           {"defId": "2", "displayResult": "Busy", "resultCode": "012"},
           {"defId": "3", "displayResult": "No code", "resultCode": ""}]


def want(codes=(), state="present", purge=False, **extra):
    out = {"state": state, "purge": purge, "codes": list(codes), "strategy": None, "retry_days": None,
           "retry_times_per_day": None, "result_policies": None}
    out.update(extra)
    return out


def policy(doc, **data):
    payload = {"retryPolicyId": "77", "policyType": 0,
               "policyJson": doc if isinstance(doc, str) else json.dumps(doc)}
    payload.update(data)
    return rp.read_policy(payload, CALL)


def written(target):
    """The document and the data-level fields a write of target sends."""
    body = rp.write_body(target)
    return json.loads(body.pop("policyJson")), body


def test_the_single_quoted_form_of_the_vendor_sample_is_read():
    sample = "[{'dataType':'SI','type':1,'policy':[{'result':4,'retryNumber':3,'callInterval':600}]}]"
    read = rp.read_policy({"policyType": 1, "policyJson": sample}, CALL)
    assert read.policy_type == rp.NUMBER_TYPE
    assert read.doc == [{"dataType": "SI", "type": 1, "policy": [{"result": 4, "retryNumber": 3, "callInterval": 600}]}]


def test_single_quotes_keep_true_null_and_inner_double_quotes():
    assert rp.lenient("{'a':true,'b':null,'c':'say \"hi\"','d':'it\\'s'}") == {
        "a": True, "b": None, "c": 'say "hi"', "d": "it's"}


@pytest.mark.parametrize("text", ["{'a':1", "{'a':NaN}", "{'a': set()}", "(1, 2)", "{'a':'unterminated}"])
def test_what_is_not_json_in_either_form_is_refused(text):
    with pytest.raises(ValueError):
        rp.lenient(text)


@pytest.mark.parametrize("field", [
    '["007","012"]', "007,012", " 007 , 012 ,", ["007", "012"], "['012', '007']",
])
def test_no_retry_policy_in_each_documented_form(field):
    read = policy({"type": 0}, noRetryPolicy=field)
    assert sorted(read.codes) == ["007", "012"]


def test_integer_codes_are_taken_as_their_digits():
    assert policy({"type": 0}, noRetryPolicy=[7, "012"]).codes == ["7", "012"]


@pytest.mark.parametrize("field", ["", None, [], "[]"])
def test_an_empty_or_missing_field_falls_back_to_the_document(field):
    """A server may show the field empty whatever the document holds: an empty field says nothing, and a
    write planned from it would drop the codes the document names."""
    read = policy({"type": 0, "noRetryPolicy": ["007"]}, noRetryPolicy=field)
    assert read.codes == ["007"] and not read.warnings


def test_an_empty_field_beside_an_empty_document_is_an_empty_list():
    assert policy({"type": 0}, noRetryPolicy="").codes == []


@pytest.mark.parametrize("option", [dict(strategy="result"), dict(retry_days=1), dict(result_policies=[])])
def test_any_change_to_a_number_type_policy_is_refused(option):
    read = rp.read_policy({"policyType": 1, "policyJson": "[{'dataType':'SI','type':0}]"}, CALL)
    with pytest.raises(ResourceError, match="number-type"):
        rp.planned(read, want([], purge=True, **option), CAMPAIGN)


def test_the_field_wins_over_the_document_with_a_warning():
    read = policy({"noRetryPolicy": ["007"]}, noRetryPolicy="012")
    assert read.codes == ["012"] and "differ" in read.warnings[0]


def test_a_number_type_policy_with_no_retry_results_is_refused_before_any_write():
    read = rp.read_policy({"policyType": 1, "policyJson": "[{'dataType':'SI','type':0}]"}, CALL)
    with pytest.raises(ResourceError, match="number-type"):
        rp.planned(read, want(["007"]), CAMPAIGN)
    assert rp.planned(read, want(["007"], state="absent"), CAMPAIGN) is read


@pytest.mark.parametrize("data", [
    {"policyType": 0, "policyJson": "[1, 2]"}, {"policyType": 1, "policyJson": "{}"},
    {"policyType": 7, "policyJson": "{}"}, {"policyType": 0, "policyJson": "{'policy': 5}"},
    {"policyType": 0, "policyJson": "{}", "noRetryPolicy": [["007"]]}, {"policyType": True, "policyJson": "{}"},
])
def test_a_policy_that_cannot_be_read_is_a_parse_error_naming_the_call(data):
    with pytest.raises(IsalesError) as info:
        rp.read_policy(data, CALL)
    assert info.value.kind == "parse" and CALL in info.value.msg


def test_a_write_carries_over_every_key_and_keeps_the_forms_it_read():
    doc = {"type": 0, "retryDay": 3, "retryTimes": 2, "dataType": "SI", "mystery": {"x": [1]},
           "policy": json.dumps([{"result": 4, "retryNumber": 3, "callInterval": 600}]), "noRetryPolicy": ["012"]}
    read = policy(doc, noRetryPolicy='["012"]', busiPolicy={"k": "v"})
    target = rp.planned(read, want(["007"]), CAMPAIGN)
    new_doc, body = written(target)
    assert new_doc == dict(doc, noRetryPolicy=["012", "007"])
    assert isinstance(new_doc["policy"], str), "policy stays JSON text"
    assert body == {"retryPolicyId": "77", "policyType": 0, "busiPolicy": {"k": "v"}, "noRetryPolicy": '["012","007"]'}


def test_the_2025_layout_keeps_the_day_counts_inside_policy():
    read = policy({"type": 0, "policy": {"retryDay": 1, "retryTimes": 1}})
    assert rp.view(read)["retry_days"] == 1
    new_doc, _body = written(rp.planned(read, want(["007"], retry_days=5), CAMPAIGN))
    assert new_doc["policy"] == {"retryDay": 5, "retryTimes": 1} and "retryDay" not in new_doc


def test_a_campaign_without_a_policy_gets_only_what_was_declared():
    read = rp.read_policy(None, CALL)
    assert not read.exists and rp.view(read)["no_retry_result_codes"] == []
    new_doc, body = written(rp.planned(read, want(["007"]), CAMPAIGN))
    assert new_doc == {"noRetryPolicy": ["007"]} and body == {"policyType": 0}
    assert rp.planned(read, want(["007"], state="absent"), CAMPAIGN) is read


@pytest.mark.parametrize("codes,change,expected", [
    (["012"], want(["007"]), ["012", "007"]),
    (["012", "007"], want(["007"]), None),
    (["012", "007"], want(["007"], purge=True), ["007"]),
    (["012"], want([], purge=True), []),
    (["012", "007"], want(["007", "999"], state="absent"), ["012"]),
    (["012"], want(["007"], state="absent"), None),
])
def test_the_no_retry_list_after_a_change(codes, change, expected):
    read = policy({"type": 0, "noRetryPolicy": codes})
    target = rp.planned(read, change, CAMPAIGN)
    if expected is None:
        assert target is read
    else:
        assert written(target)[0]["noRetryPolicy"] == expected and rp.holds(target, change)


def test_display_texts_resolve_and_what_cannot_is_named_before_any_write():
    assert rp.declared({"no_retry_display_results": ["Busy"], "no_retry_result_codes": ["007"]}, RESULTS)["codes"] == [
        "012", "007"]
    with pytest.raises(ResourceError) as info:
        rp.declared({"no_retry_display_results": ["Nope", "No code"], "no_retry_result_codes": ["999"]}, RESULTS)
    assert "'Nope'" in info.value.msg and "'No code'" in info.value.msg and "'999'" in info.value.msg
    assert rp.declared({"no_retry_result_codes": ["999"], "state": "absent"}, RESULTS)["codes"] == ["999"]


def test_dangling_codes_are_those_no_result_has():
    assert rp.dangling(policy({"noRetryPolicy": ["007", "999"]}), RESULTS) == ["999"]


@pytest.mark.parametrize("params,words", [
    (dict(campaign_id="../x"), "campaign_id"),
    (dict(campaign_id="1"), "no_retry_result_codes or no_retry_display_results"),
    (dict(campaign_id="1", no_retry_result_codes=["1"], state="absent", purge=True), "purge"),
    (dict(campaign_id="1", no_retry_result_codes=[" "]), "empty"),
    (dict(campaign_id="1", no_retry_result_codes=["1"], retry_days=-1), "retry_days"),
])
def test_bad_options_are_named(params, words):
    assert any(words in problem for problem in rp.validate(params))


# -- properties -------------------------------------------------------------

JSON_SCALARS = st.none() | st.booleans() | st.integers(-10 ** 9, 10 ** 9) | st.text(max_size=8)
JSON = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.text(max_size=6), inner, max_size=4), max_leaves=20)
CODES = st.lists(st.text(alphabet="0123456789ABC", min_size=1, max_size=7), max_size=5, unique=True)


def _policy_data():
    inner = st.fixed_dictionaries({}, optional={
        "type": st.sampled_from([0, 1]), "retryDay": st.integers(0, 9), "retryTimes": st.integers(0, 9),
        "noRetryPolicy": CODES, "dataType": st.text(max_size=3), "other": JSON,
        "policy": st.lists(st.fixed_dictionaries({"result": st.integers(0, 9), "retryNumber": st.integers(0, 9),
                                                  "callInterval": st.integers(0, 999)}), max_size=3)})
    return st.builds(lambda doc, quoted, field: dict(
        {"policyType": 0, "policyJson": json.dumps(doc).replace('"', "'") if quoted and '\\' not in json.dumps(doc)
         and "'" not in json.dumps(doc) else json.dumps(doc)}, **({} if field is None else {"noRetryPolicy": field})),
        inner, st.booleans(), st.none() | CODES.map(",".join) | CODES)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.dictionaries(st.sampled_from(["policyType", "policyJson", "noRetryPolicy", "busiPolicy"]),
                            JSON | st.text(max_size=40), max_size=4),
       doc=st.dictionaries(st.sampled_from(["type", "retryDay", "retryTimes", "policy", "noRetryPolicy", "results"]),
                           JSON, max_size=5),
       as_text=st.booleans(), policy_type=st.sampled_from([0, 1, "0", None]))
def test_no_answer_makes_the_parser_fail_but_cleanly(data, doc, as_text, policy_type):
    for candidate in (data, {"policyType": policy_type, "policyJson": json.dumps(doc) if as_text else doc,
                             "noRetryPolicy": data.get("noRetryPolicy")}):
        try:
            read = rp.read_policy(candidate, CALL)
            rp.view(read, RESULTS)
            rp.holds(read, want(["007"]))
            rp.write_body(rp.planned(read, want(["007"], retry_days=1, result_policies=[]), CAMPAIGN))
        except IsalesError as err:
            assert err.kind == "parse"
        except ResourceError as err:
            assert "number-type" in err.msg


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(data=_policy_data(), change=st.builds(want, CODES, st.sampled_from(["present", "absent"]), st.booleans()))
def test_parse_write_parse_gives_the_same_document(data, change):
    try:
        read = rp.read_policy(data, CALL)
    except IsalesError:
        return
    target = rp.planned(read, change, CAMPAIGN)
    body = rp.write_body(target)
    json.loads(body["policyJson"])  # strict JSON
    again = rp.read_policy(body, CALL)
    assert again.doc == target.doc and sorted(again.codes) == sorted(target.codes)
    assert rp.holds(again, change)
    assert rp.planned(again, change, CAMPAIGN) is again, "a second run plans nothing"


def test_strict_json_of_text_without_quotes_is_the_text():
    assert rp.strict_json("[1, {}]") == "[1, {}]"
    with pytest.raises(BadAnswer):
        rp.strict_json("{'a")
