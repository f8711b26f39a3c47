# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rollout of a no-retry rule over many campaigns (_retry_policies): the option checks, the selection,
which failures concern one campaign, the counts, the failure message, the campaigns left alone, the warning
about dangling codes, a campaign's report, and a Rollout on a pool that is stopped."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading

import pytest

from ansible_collections.huawei.isales.plugins.module_utils import _retry_policies as rps
from ansible_collections.huawei.isales.plugins.module_utils._errors import (
    KIND_API,
    KIND_AUTH,
    KIND_CANCELLED,
    KIND_CONNECTION,
    KIND_HTTP,
    KIND_PARSE,
    KIND_TIMEOUT,
    KIND_TLS,
    IsalesError,
    ResourceError,
)
from ansible_collections.huawei.isales.plugins.module_utils._retry_policy import read_policy

CALL = "GET /rest/isales/v1/openapi/campaigns/12/retryPolicy/C1"
SPRING = {"id": "C1", "name": "Spring", "status": "started"}
AUTUMN = {"id": "C2", "name": "Autumn", "status": "suspended"}
WINTER = {"id": "C3", "name": "Winter", "status": "completed"}
TWIN = {"id": "C4", "name": "Spring", "status": "completed"}
LISTED = [SPRING, AUTUMN, WINTER, TWIN]
RESULTS = [{"defId": "1", "displayResult": "Do not call", "resultCode": "007"},
           {"defId": "2", "displayResult": "Wrong number", "resultCode": "008"},
           {"defId": "3", "displayResult": "No code", "resultCode": ""}]


def params(**extra):
    """The module's parameters as AnsibleModule hands them over (every option, None when not given)."""
    value = dict(vdn_id=12, campaign_ids=None, campaign_names=None, all_campaigns=False, status=None,
                 no_retry_result_codes=["007"], no_retry_display_results=None, state="present", purge=False,
                 clear_all=False)
    value.update(extra)
    return value


def global_policy(*codes):
    return read_policy({"policyType": 0, "policyJson": "{}", "noRetryPolicy": list(codes)}, CALL)


def record(campaign, outcome, reason=None, before=None, error=None):
    out = rps.Record(campaign)
    out.outcome, out.reason, out.before, out.error = outcome, reason, before, error
    return out


# -- validate_rollout ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [
    dict(all_campaigns=True),
    dict(all_campaigns=True, status="suspended"),
    dict(campaign_ids=["C1", "c_2-X"]),
    dict(campaign_names=["Spring"]),
    dict(campaign_ids=["C1"], campaign_names=["Autumn"]),
    dict(all_campaigns=True, no_retry_result_codes=[], purge=True, clear_all=True),
    dict(all_campaigns=True, no_retry_result_codes=None, no_retry_display_results=[], purge=True, clear_all=True),
    dict(campaign_ids=["C1"], no_retry_result_codes=[], purge=True),
    dict(all_campaigns=True, no_retry_result_codes=["007"], purge=True),
    dict(all_campaigns=True, no_retry_result_codes=["007"], state="absent"),
    dict(all_campaigns=True, no_retry_result_codes=[], state="absent"),
    dict(campaign_ids=["X" * 32]),
])
def test_valid_options_have_no_problem(extra):
    assert rps.validate_rollout(params(**extra)) == []


@pytest.mark.parametrize("extra,expected", [
    (dict(), ["one of campaign_ids, campaign_names or all_campaigns: true is required"]),
    (dict(all_campaigns=True, campaign_ids=["C1"]),
     ["all_campaigns: true selects every campaign; it does not take campaign_ids or campaign_names"]),
    (dict(all_campaigns=True, campaign_names=["Spring"]),
     ["all_campaigns: true selects every campaign; it does not take campaign_ids or campaign_names"]),
    (dict(campaign_ids=[]), ["campaign_ids is empty: name at least one campaign, or select every one with "
                             "all_campaigns: true"]),
    (dict(campaign_names=[]), ["campaign_names is empty: name at least one campaign, or select every one with "
                               "all_campaigns: true"]),
    (dict(campaign_ids=["C1", "C 2"]), ["campaign_ids[1] 'C 2': a campaign id holds only letters, digits, '_' and "
                                        "'-'"]),
    (dict(campaign_ids=[""]), ["campaign_ids[0] '': a campaign id is 1 to 32 characters"]),
    (dict(campaign_ids=["X" * 33]), ["campaign_ids[0] '%s': a campaign id is 1 to 32 characters" % ("X" * 33)]),
    (dict(campaign_names=["Spring", "  "]), ["campaign_names[1] '  ': a campaign name must not be empty"]),
    (dict(campaign_ids=["C1"], status="started"),
     ["status narrows all_campaigns: true; campaign_ids and campaign_names name the campaigns themselves"]),
    (dict(status="started"), ["one of campaign_ids, campaign_names or all_campaigns: true is required",
                              "status narrows all_campaigns: true; campaign_ids and campaign_names name the campaigns "
                              "themselves"]),
    (dict(all_campaigns=True, no_retry_result_codes=[], purge=True),
     ["purge: true with empty no_retry lists over all_campaigns would empty the no-retry list of every campaign "
      "of VDN 12: set clear_all: true to confirm that"]),
    (dict(campaign_ids=["C1"], no_retry_result_codes=[], purge=True, clear_all=True),
     ["clear_all: true is only allowed with all_campaigns: true, purge: true and empty no_retry_result_codes and "
      "no_retry_display_results"]),
    (dict(all_campaigns=True, clear_all=True),
     ["clear_all: true is only allowed with all_campaigns: true, purge: true and empty no_retry_result_codes and "
      "no_retry_display_results"]),
    (dict(all_campaigns=True, no_retry_result_codes=[], no_retry_display_results=["Busy"], purge=True,
          clear_all=True),
     ["clear_all: true is only allowed with all_campaigns: true, purge: true and empty no_retry_result_codes and "
      "no_retry_display_results"]),
])
def test_each_problem_names_its_option(extra, expected):
    assert rps.validate_rollout(params(**extra)) == expected


def test_state_absent_with_purge_and_clear_all_is_refused_twice():
    problems = rps.validate_rollout(params(all_campaigns=True, no_retry_result_codes=[], state="absent", purge=True,
                                           clear_all=True))
    assert any(problem.startswith("state=absent removes the listed no-retry results only") for problem in problems)
    assert any(problem.startswith("clear_all: true is only allowed") for problem in problems)
    assert not any("set clear_all: true to confirm" in problem for problem in problems)


def test_the_problems_of_one_campaign_policy_come_too():
    problems = rps.validate_rollout(params(all_campaigns=True, no_retry_result_codes=None))
    assert problems == ["no_retry_result_codes or no_retry_display_results is required (an empty list with "
                        "purge: true clears the no-retry list)"]


def test_every_problem_at_once():
    problems = rps.validate_rollout(params(campaign_ids=[], campaign_names=[" "], status="started"))
    assert len(problems) == 3
    assert [problem.split(" ")[0] for problem in problems] == ["campaign_ids", "campaign_names[0]", "status"]


# -- select ------------------------------------------------------------------------------------------------


def test_every_campaign_in_the_lists_order():
    assert rps.select(LISTED, params(all_campaigns=True)) == LISTED
    assert rps.select(LISTED, params(all_campaigns=True, status="all")) == LISTED


@pytest.mark.parametrize("status,expected", [
    ("started", [SPRING]), ("suspended", [AUTUMN]), ("completed", [WINTER, TWIN]),
])
def test_the_status_is_checked_here_too(status, expected):
    """A server's status filter is not trusted: what it lists of another status is left out."""
    assert rps.select(LISTED, params(all_campaigns=True, status=status)) == expected


def test_all_campaigns_ignores_names_and_ids():
    assert rps.select([], params(all_campaigns=True)) == []


def test_ids_then_names_each_once():
    chosen = rps.select(LISTED, params(campaign_ids=["C2", "C3", "C2"], campaign_names=["Winter", "Autumn"]))
    assert chosen == [AUTUMN, WINTER]


def test_a_name_picks_the_one_campaign_it_matches_exactly():
    assert rps.select(LISTED, params(campaign_names=["Autumn"])) == [AUTUMN]
    with pytest.raises(ResourceError, match="no campaign is named 'autumn'"):
        rps.select(LISTED, params(campaign_names=["autumn"]))
    with pytest.raises(ResourceError, match="no campaign is named 'Autum'"):
        rps.select(LISTED, params(campaign_names=["Autum"]))


def test_every_problem_is_named_in_one_refusal():
    with pytest.raises(ResourceError) as info:
        rps.select(LISTED, params(campaign_ids=["C1", "C9", "C8"], campaign_names=["Spring", "Nobody", "Autumn"]))
    msg = info.value.msg
    assert msg.startswith("campaign_ids: VDN 12 has no campaign C9; campaign_ids: VDN 12 has no campaign C8; ")
    assert "campaign_names: 2 campaigns are named 'Spring': C1 (started), C4 (completed); name the one meant in " \
           "campaign_ids" in msg
    assert "campaign_names: no campaign is named 'Nobody'" in msg
    assert msg.endswith("Nothing was written; huawei.isales.isales_campaign_info lists the VDN's campaigns.")


def test_an_ambiguous_name_fails_even_when_an_id_names_one_of_them():
    with pytest.raises(ResourceError, match="2 campaigns are named 'Spring'"):
        rps.select(LISTED, params(campaign_ids=["C1"], campaign_names=["Spring"]))


def test_a_name_is_quoted_as_given():
    with pytest.raises(ResourceError) as info:
        rps.select(LISTED, params(campaign_names=["VDN has none"]))
    assert "no campaign is named 'VDN has none'" in info.value.msg


# -- concerns_one_campaign ------------------------------------------------------------------------------


def error(kind, status=None, code=None):
    return IsalesError("failed", kind, call=CALL, status=status, return_code=code)


@pytest.mark.parametrize("err", [
    ResourceError("refused"),
    error(KIND_API, 200, "0200011"),
    error(KIND_API, 200, "0200007"),
    error(KIND_PARSE, 200),
    error(KIND_HTTP, 400),
    error(KIND_HTTP, 404),
    error(KIND_HTTP, 409),
    error(KIND_HTTP, 499),
])
def test_failures_about_one_campaign(err):
    assert rps.concerns_one_campaign(err) is True


@pytest.mark.parametrize("err", [
    error(KIND_AUTH, 401),
    error(KIND_HTTP, 401),
    error(KIND_HTTP, 403),
    error(KIND_HTTP, 407),
    error(KIND_HTTP, 429),
    error(KIND_HTTP, 500),
    error(KIND_HTTP, 502),
    error(KIND_HTTP, 503),
    error(KIND_HTTP, 399),
    error(KIND_HTTP, None),
    error(KIND_CONNECTION),
    error(KIND_TIMEOUT),
    error(KIND_TLS),
    error(KIND_CANCELLED),
])
def test_failures_about_every_campaign(err):
    assert rps.concerns_one_campaign(err) is False


# -- counts -----------------------------------------------------------------------------------------------


def test_counts_has_every_outcome_even_at_zero():
    assert rps.counts([]) == {"changed": 0, "unchanged": 0, "skipped": 0, "failed": 0, "not_attempted": 0}
    records = [record(SPRING, rps.CHANGED), record(AUTUMN, rps.CHANGED), record(WINTER, rps.SKIPPED),
               record(TWIN, rps.FAILED, "x"), rps.Record(SPRING)]
    assert rps.counts(records) == {"changed": 2, "unchanged": 0, "skipped": 1, "failed": 1, "not_attempted": 1}


def test_a_new_record_is_not_attempted():
    assert rps.Record(SPRING).outcome == rps.NOT_ATTEMPTED
    assert set(rps.OUTCOMES) == {"changed", "unchanged", "skipped", "failed", "not_attempted"}


# -- failure_message --------------------------------------------------------------------------------------


def test_the_message_of_failures_about_single_campaigns():
    records = [record(SPRING, rps.CHANGED), record(AUTUMN, rps.FAILED, "refused with returnCode 0200011."),
               record(WINTER, rps.UNCHANGED), record(TWIN, rps.SKIPPED, "no policy")]
    msg = rps.failure_message(records)
    assert msg == ("1 of 4 campaigns failed (campaign C2 (Autumn, suspended): refused with returnCode 0200011). "
                   "Written: 1, unchanged: 1, skipped: 1, failed: 1, not attempted: 0 (each campaign's outcome is in "
                   "campaigns). Run the task again: it converges.")


def test_the_message_of_a_stop_names_where_and_why():
    fatal = error(KIND_AUTH, 401)
    fatal.msg = "the server rejected the request signature."
    records = [record(SPRING, rps.UNCHANGED), record(AUTUMN, rps.FAILED, fatal.msg, error=fatal),
               rps.Record(WINTER), rps.Record(TWIN)]
    msg = rps.failure_message(records, fatal)
    assert msg.startswith("the rollout stopped at campaign C2 (Autumn): the server rejected the request signature. "
                          "Written: 0, unchanged: 1, skipped: 0, failed: 1, not attempted: 2")
    assert "campaigns failed" not in msg, "the campaign that stopped the rollout is not listed again"


def test_the_message_of_a_stop_lists_the_other_failures_too():
    fatal = error(KIND_CONNECTION)
    other = ResourceError("ignored the write")
    records = [record(SPRING, rps.FAILED, "ignored the write", error=other),
               record(AUTUMN, rps.FAILED, "failed", error=fatal), rps.Record(WINTER)]
    msg = rps.failure_message(records, fatal)
    assert msg.startswith("the rollout stopped at campaign C2 (Autumn): failed. 1 of 3 campaigns failed (campaign C1 "
                          "(Spring, started): ignored the write). Written: 0")


def test_the_message_of_a_stop_that_no_campaign_caused():
    fatal = error(KIND_CANCELLED)
    fatal.msg = "2 of 2 calls were not started: the task is being stopped"
    msg = rps.failure_message([rps.Record(SPRING), rps.Record(AUTUMN)], fatal)
    assert msg.startswith("the rollout stopped: 2 of 2 calls were not started: the task is being stopped. Written: 0")
    assert "not attempted: 2" in msg


def test_the_message_lists_ten_failures_and_counts_the_rest():
    records = [record({"id": "C%d" % index, "name": "N%d" % index, "status": "started"}, rps.FAILED, "r%d" % index)
               for index in range(13)]
    msg = rps.failure_message(records)
    assert msg.startswith("13 of 13 campaigns failed (campaign C0 (N0, started): r0; ")
    assert "campaign C9 (N9, started): r9; and 3 more, in campaigns)" in msg
    assert "C10 (" not in msg and "failed: 13" in msg


def test_the_message_of_a_rollout_stopped_without_a_failure_is_a_sentence():
    msg = rps.failure_message([rps.Record(SPRING), rps.Record(AUTUMN)])
    assert not msg.startswith(".")
    assert "not attempted: 2" in msg


# -- unusable -------------------------------------------------------------------------------------------------


def test_a_campaign_without_a_policy_is_unusable():
    reason = rps.unusable(read_policy(None, CALL))
    assert reason.startswith("the campaign has no retry policy; a rollout does not create one")


def test_a_number_type_policy_is_unusable():
    policy = read_policy({"policyType": 1, "policyJson": "[{'dataType':'SI','type':1,'policy':[]}]"}, CALL)
    assert rps.unusable(policy) == ("the campaign has a number-type retry policy (policyType 1), which cannot carry "
                                    "no-retry results")


@pytest.mark.parametrize("data", [
    {"policyType": 0, "policyJson": "{}"},
    {"policyType": "0", "policyJson": "{'type':1}", "noRetryPolicy": "007"},
    {"policyJson": ""},
])
def test_a_global_policy_is_usable(data):
    assert rps.unusable(read_policy(data, CALL)) is None


# -- dangling_warning -----------------------------------------------------------------------------------------


def test_no_warning_when_every_code_is_a_result():
    records = [record(SPRING, rps.CHANGED, before=global_policy("007", "008")), record(AUTUMN, rps.NOT_ATTEMPTED),
               record(WINTER, rps.SKIPPED, before=read_policy(None, CALL))]
    assert rps.dangling_warning(records, RESULTS, 12) is None


def test_one_warning_names_each_campaign_and_its_dangling_codes():
    records = [record(SPRING, rps.UNCHANGED, before=global_policy("007", "999", "123")),
               record(AUTUMN, rps.UNCHANGED, before=global_policy("008")),
               record(WINTER, rps.FAILED, "x", before=global_policy()),
               record(TWIN, rps.CHANGED, before=global_policy("X1"))]
    warning = rps.dangling_warning(records, RESULTS, 12)
    assert warning == ("the no-retry lists of 2 campaign(s) name result codes no external result of VDN 12 has (they "
                       "are kept): C1: 123, 999; C4: X1")


def test_a_result_without_a_code_does_not_make_the_empty_code_known():
    records = [record(SPRING, rps.UNCHANGED, before=global_policy("007"))]
    assert rps.dangling_warning(records, [], 12) == (
        "the no-retry lists of 1 campaign(s) name result codes no external result of VDN 12 has (they are kept): "
        "C1: 007")


def test_the_warning_names_at_most_twenty_campaigns():
    records = [record({"id": "C%d" % index, "name": "x", "status": "started"}, rps.UNCHANGED,
                      before=global_policy("999")) for index in range(22)]
    warning = rps.dangling_warning(records, RESULTS, 12)
    assert warning.startswith("the no-retry lists of 22 campaign(s)")
    assert "C19: 999; ..." in warning and "C20:" not in warning
    assert rps.dangling_warning(records[:3], RESULTS, 12, most=2).endswith("C0: 999; C1: 999; ...")


# -- a campaign's report -------------------------------------------------------------------------------------


def test_the_report_of_a_campaign_not_attempted():
    report = rps.Record(AUTUMN).report(RESULTS)
    assert report == {"campaign_id": "C2", "campaign_name": "Autumn", "campaign_status": "suspended",
                      "outcome": "not_attempted", "changed": False, "skipped": False, "failed": False,
                      "reason": "not attempted: the task stopped before it reached this campaign",
                      "retry_policy": None}


def test_the_report_shows_the_policy_after_else_before():
    out = record(SPRING, rps.CHANGED, before=global_policy("007"))
    out.after = global_policy("007", "008")
    report = out.report(RESULTS)
    assert report["changed"] and not report["skipped"] and not report["failed"] and report["reason"] is None
    assert report["retry_policy"]["no_retry_result_codes"] == ["007", "008"]
    assert report["retry_policy"]["no_retry_results"][1] == {"result_code": "008", "display_result": "Wrong number",
                                                             "defId": "2"}
    failed = record(SPRING, rps.FAILED, "refused", before=global_policy("007"))
    assert failed.report(RESULTS)["retry_policy"]["no_retry_result_codes"] == ["007"]
    assert failed.report(RESULTS)["failed"] and failed.report(RESULTS)["reason"] == "refused"
    skipped = record(SPRING, rps.SKIPPED, "no policy", before=read_policy(None, CALL))
    assert skipped.report(RESULTS)["retry_policy"] is None and skipped.report(RESULTS)["skipped"]


# -- a Rollout on a pool that is stopped ---------------------------------------------------------------------


class Pool(object):
    """A pool that runs every call in the calling thread, or raises what it is given."""

    def __init__(self, raises=None):
        self.raises = raises
        self.calls = 0

    def client(self):
        return "client"

    def map(self, func, items, size=None):
        if self.raises is not None:
            raise self.raises
        out = []
        for item in items:
            self.calls += 1
            out.append(func("client", item))
        return out


WANT = {"state": "present", "purge": False, "codes": ["007"], "strategy": None, "retry_days": None,
        "retry_times_per_day": None, "result_policies": None}


def test_a_stopped_task_reads_no_policy(monkeypatch):
    read = []
    monkeypatch.setattr(rps, "get_policy", lambda client, vdn, ident: read.append(ident))
    stop = threading.Event()
    stop.set()
    rollout = rps.Rollout(Pool(), 12, WANT, stop=stop)
    records = rollout.run([SPRING, AUTUMN])
    assert read == [] and [item.outcome for item in records] == ["not_attempted", "not_attempted"]


def test_a_pool_that_drops_calls_stops_the_rollout():
    cancelled = IsalesError("2 of 2 calls were not started: the task is being stopped", KIND_CANCELLED, sent=False)
    rollout = rps.Rollout(Pool(raises=cancelled), 12, WANT)
    records = rollout.run([SPRING, AUTUMN])
    assert rollout.fatal is cancelled and rollout.halt.is_set()
    assert [item.outcome for item in records] == ["not_attempted", "not_attempted"]


def test_check_mode_plans_without_writing(monkeypatch):
    policies = {"C1": {"policyType": 0, "policyJson": "{}", "noRetryPolicy": ["008"]},
                "C2": {"policyType": 0, "policyJson": "{}", "noRetryPolicy": ["007"]}, "C3": None}
    monkeypatch.setattr(rps, "get_policy", lambda client, vdn, ident: (policies[ident], CALL))
    rollout = rps.Rollout(Pool(), 12, WANT, check_mode=True)
    records = rollout.run([SPRING, AUTUMN, WINTER])
    assert [item.outcome for item in records] == ["changed", "unchanged", "skipped"]
    assert records[0].after.codes == ["008", "007"] and records[0].before.codes == ["008"]
    assert records[1].after is None


def test_named_campaigns_that_would_be_skipped_refuse_the_task(monkeypatch):
    policies = {"C1": {"policyType": 0, "policyJson": "{}"}, "C2": None,
                "C3": {"policyType": 1, "policyJson": "[]"}}
    monkeypatch.setattr(rps, "get_policy", lambda client, vdn, ident: (policies[ident], CALL))
    rollout = rps.Rollout(Pool(), 12, WANT, explicit=True)
    records = rollout.run([SPRING, AUTUMN, WINTER])
    assert [record.campaign["id"] for record in rollout.refused] == ["C2", "C3"]
    # C1 needs the change, which is not made: a refusal comes before any write.
    assert [record.outcome for record in records] == ["not_attempted", "failed", "failed"]
    msg = rps.refusal_message(rollout.refused)
    assert msg.startswith("nothing was written: campaign C2 (Autumn): the campaign has no retry policy")
    assert "campaign C3 (Winter): the campaign has a number-type retry policy" in msg


def test_a_vanished_campaign_is_skipped_over_every_campaign_but_fails_when_named(monkeypatch):
    def get(client, vdn, ident):
        if ident == "C2":
            raise IsalesError("gone", KIND_API, call=CALL, return_code="0200007")
        return {"policyType": 0, "policyJson": "{}", "noRetryPolicy": ["007"]}, CALL
    monkeypatch.setattr(rps, "get_policy", get)
    records = rps.Rollout(Pool(), 12, WANT).run([SPRING, AUTUMN])
    assert [item.outcome for item in records] == ["unchanged", "skipped"]
    assert records[1].reason == "the campaign vanished between the list and its read"
    records = rps.Rollout(Pool(), 12, WANT, explicit=True).run([SPRING, AUTUMN])
    assert [item.outcome for item in records] == ["unchanged", "failed"] and records[1].reason == "gone"
