# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""isales_ob_results against an in-memory API (HTTP mocked at the requests seam)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest
import responses

from ansible_collections.huawei.isales.plugins.modules import isales_ob_results
from ansible_collections.huawei.isales.tests.unit.plugins.modules.isales_fake import BASE, FakeIsales

SECRET = "unit-secret-bulk-0123456789"
VDN = 12


@pytest.fixture
def run(run_module):
    def runner(config, **extra):
        args = dict(url=BASE, access_key="ak", secret_key=SECRET, vdn_id=VDN, config=config, max_workers=1)
        args.update(extra)
        result, failed = run_module(isales_ob_results.main, args)
        assert SECRET not in json.dumps(result)
        return result, failed
    return runner


def entry(text, codes=None, code=None):
    value = {"display_result": text}
    if codes is not None:
        value["obs_codes"] = codes
    if code is not None:
        value["result_code"] = code
    return value


def test_merged_creates_what_is_missing_with_one_listing(fake, run):
    fake.seed(VDN, ("Busy", "003", ["00603"]))
    result, failed = run([entry("Busy", ["00603"], "003"), entry("No answer", ["00606", "00602", "00602"], "007"),
                          entry("Rejected", ["00604"])], _ansible_diff=True)
    assert not failed and result["changed"]
    assert [c["display_result"] for c in result["created"]] == ["No answer", "Rejected"]
    assert all(c["defId"] for c in result["created"])
    assert result["created"][0] == {"defId": result["created"][0]["defId"], "display_result": "No answer",
                                    "result_code": "007", "obs_codes": ["00602", "00606"], "vdn_id": VDN}
    assert len(result["unchanged"]) == 1 and result["updated"] == [] and result["deleted"] == []
    # One listing to plan, the catalogue (2 pages of codes) to check what is written, and one
    # listing after the creates (for another run's copies).
    assert fake.count("ob_result.list") == 2 and fake.count("ob_result.detail") == 1 and fake.count("ob_result.create") == 2
    assert fake.count("obs_code.list") == 2 and result["api_requests"] == 7
    assert result["duplicates_removed"] == []
    assert len(result["diff"]) == 2 and result["diff"][0]["before"] == {}
    assert result["diff"][0]["after"]["obs_codes"] == ["00602", "00606"]
    assert "No answer" in result["diff"][0]["after_header"]
    assert fake.state(VDN)["No answer"] == ("007", ["00602", "00606"])


def test_second_run_changes_nothing(fake, run):
    config = [entry("Busy", ["00603"], "003"), entry("Rejected", ["00604"])]
    run(config)
    calls = len(fake.calls)
    result, failed = run(config, _ansible_diff=True)
    assert not failed and not result["changed"]
    assert len(result["unchanged"]) == 2 and not result["created"] and result["diff"] == []
    assert not [c for c in fake.calls[calls:] if c[0] in ("ob_result.create", "ob_result.update", "ob_result.delete")]


def test_merged_adds_obs_codes_and_replaced_sets_them(fake, run):
    fake.seed(VDN, ("Busy", "003", ["00603", "00605"]))
    result, _failed = run([entry("Busy", ["00607"], "003")], state="merged")
    assert result["updated"][0]["obs_codes"] == ["00603", "00605", "00607"]
    result, _failed = run([entry("Busy", ["00607"], "003")], state="replaced")
    assert result["updated"][0]["obs_codes"] == ["00607"]
    assert fake.state(VDN)["Busy"] == ("003", ["00607"])


def test_merged_without_display_text_keeps_it(fake, run):
    fake.seed(VDN, ("Busy", "003", ["00603"]))
    result, failed = run([{"result_code": "003", "obs_codes": ["00604"]}])
    assert not failed and result["updated"][0]["display_result"] == "Busy"
    assert fake.state(VDN)["Busy"] == ("003", ["00603", "00604"])


def test_merged_cannot_create_without_obs_codes(fake, run):
    result, failed = run([{"result_code": "003", "display_result": "Busy"}])
    assert failed and "creating it needs obs_codes" in result["msg"] and not fake.writes()


def test_display_text_changes_when_found_by_result_code(fake, run):
    (def_id,) = fake.seed(VDN, ("Old", "007", ["00602"]))
    result, failed = run([entry("New", ["00602"], "007")], state="replaced", _ansible_diff=True)
    assert not failed and result["updated"][0]["defId"] == def_id
    assert result["diff"][0]["before"]["display_result"] == "Old"
    assert result["diff"][0]["after"]["display_result"] == "New"


def test_overridden_deletes_before_a_create_that_takes_the_freed_text(fake, run):
    fake.seed(VDN, ("Keep", "001", ["00601"]), ("Gone", "002", ["00602"]), ("Taken", None, ["00603"]))
    result, failed = run([entry("Keep", ["00601"], "001"), entry("Taken", ["00603"], "003")], state="overridden")
    assert not failed
    assert sorted(d["display_result"] for d in result["deleted"]) == ["Gone", "Taken"]
    assert sorted(d["obs_codes"] for d in result["deleted"]) == [["00602"], ["00603"]], "enough to create them again"
    assert [c["display_result"] for c in result["created"]] == ["Taken"]
    assert [w[0] for w in fake.writes()] == ["ob_result.delete", "ob_result.delete", "ob_result.create"]
    assert fake.state(VDN) == {"Keep": ("001", ["00601"]), "Taken": ("003", ["00603"])}
    assert fake.count("ob_result.detail") == 3


def test_overridden_creates_and_updates_before_it_deletes(fake, run):
    fake.seed(VDN, ("Gone", "002", ["00602"]), ("Up", "U", ["00601"]))
    result, failed = run([entry("Up", ["00603"], "U"), entry("New", ["00604"])], state="overridden")
    assert not failed and [w[0] for w in fake.writes()] == ["ob_result.update", "ob_result.create", "ob_result.delete"]


def test_overridden_in_diff_mode_shows_the_codes_deleted(fake, run):
    fake.seed(VDN, ("Gone", "002", ["00602"]))
    result, failed = run([entry("Keep", ["00601"], "001")], state="overridden", _ansible_diff=True)
    assert not failed and result["deleted"][0]["obs_codes"] == ["00602"]
    deleted = [d for d in result["diff"] if d["after"] == {}]
    assert deleted[0]["before"]["obs_codes"] == ["00602"]


def test_check_mode_predicts_and_writes_nothing(fake, run):
    fake.seed(VDN, ("Gone", "002", ["00602"]), ("Busy", "003", ["00603"]))
    result, failed = run([entry("Busy", ["00604"], "003"), entry("New", ["00605"])], state="overridden",
                         _ansible_check_mode=True, _ansible_diff=True)
    assert not failed and result["changed"]
    assert result["created"] == [{"defId": None, "display_result": "New", "result_code": None,
                                  "obs_codes": ["00605"], "vdn_id": VDN}]
    assert [u["obs_codes"] for u in result["updated"]] == [["00604"]]
    assert [d["display_result"] for d in result["deleted"]] == ["Gone"]
    assert len(result["diff"]) == 3
    assert not fake.writes()


def test_deleted_removes_the_listed_ones_only(fake, run):
    fake.seed(VDN, ("A", "001", ["00601"]), ("B", None, ["00602"]), ("C", "003", ["00603"]))
    result, failed = run([{"result_code": "001"}, entry("B"), entry("Z")], state="deleted")
    assert not failed and result["changed"]
    assert sorted(d["display_result"] for d in result["deleted"]) == ["A", "B"]
    assert list(fake.state(VDN)) == ["C"] and fake.count("ob_result.detail") == 2
    assert sorted(d["obs_codes"] for d in result["deleted"]) == [["00601"], ["00602"]]
    result, failed = run([{"result_code": "001"}, entry("B")], state="deleted")
    assert not failed and not result["changed"]


def test_deleted_with_empty_config_needs_delete_all(fake, run):
    fake.seed(VDN, ("A", "001", ["00601"]))
    result, failed = run([], state="deleted")
    assert failed and "delete_all: true" in result["msg"] and not fake.calls
    result, failed = run([], state="deleted", delete_all=True)
    assert not failed and result["changed"] and fake.state(VDN) == {}


def test_overridden_with_empty_config_needs_delete_all_too(fake, run):
    fake.seed(VDN, ("A", "001", ["00601"]), ("B", None, ["00602"]))
    result, failed = run([], state="overridden")
    assert failed and "state=overridden" in result["msg"] and "delete_all: true" in result["msg"] and not fake.calls
    result, failed = run([], state="overridden", delete_all=True)
    assert not failed and len(result["deleted"]) == 2 and fake.state(VDN) == {}


@pytest.mark.parametrize("config,state", [([entry("A")], "deleted"), ([], "merged"), ([], "replaced")])
def test_delete_all_is_refused_elsewhere(fake, run, config, state):
    result, failed = run(config, state=state, delete_all=True)
    assert failed and "delete_all: true is only allowed with an empty config" in result["msg"] and not fake.calls


@pytest.mark.parametrize("config,state,fragment", [
    ([entry("A", ["1"]), entry("A", ["2"])], "merged", "config item 1 and config item 2 have the same display_result"),
    ([entry("A", ["1"], "X"), entry("B", ["2"], "X")], "merged", "have the same result_code 'X'"),
    ([entry("A")], "replaced", "config item 1: obs_codes must list at least one OBS code when state=replaced"),
    ([{"obs_codes": ["1"]}], "merged", "config item 1: display_result or result_code is required"),
    ([{"result_code": "001", "obs_codes": ["1"]}], "overridden", "config item 1: display_result must not be empty"),
    ([entry("A", ["1"], "12345678")], "merged", "config item 1: result_code must be 1 to 7 characters long"),
    ([entry("A", ["1", ""])], "merged", "config item 1: obs_codes must not hold empty codes (items 2)"),
    ([entry("a\tb", ["1"])], "merged", "config item 1: display_result must not contain control characters"),
])
def test_bad_config_fails_before_any_request(fake, run, config, state, fragment):
    result, failed = run(config, state=state)
    assert failed and fragment in result["msg"], result["msg"]
    assert not fake.calls


@pytest.mark.parametrize("extra,fragment", [
    (dict(vdn_id=0), "vdn_id must be an integer from 1 to 9999"),
    (dict(max_workers=0), "max_workers must be from 1 to 32"),
    (dict(write_workers=33), "write_workers must be from 1 to 32"),
    (dict(url="nope"), "url must be a base URL"),
])
def test_bad_options_fail_before_any_request(fake, run, extra, fragment):
    result, failed = run([entry("A", ["00601"])], **extra)
    assert failed and fragment in result["msg"] and not fake.calls


def test_a_created_text_may_not_collide_with_an_unmanaged_result(fake, run):
    fake.seed(VDN, ("Busy", None, ["00603"]))
    result, failed = run([entry("Busy", ["00603"], "003")])
    assert failed and "display texts must stay unique" in result["msg"] and "defId" in result["msg"]
    assert not fake.writes()


def test_two_entries_may_not_claim_one_result(fake, run):
    fake.seed(VDN, ("Busy", "003", ["00603"]))
    result, failed = run([entry("Other", ["00603"], "003"), entry("Busy", ["00603"])])
    assert failed and "config item 1 and config item 2 both match the external result" in result["msg"]
    assert not fake.writes()


def test_results_that_differ_with_one_display_text_are_refused(fake, run):
    ids = fake.seed(VDN, ("Twice", None, ["00603"]), ("Twice", None, ["00604"]))
    result, failed = run([entry("Twice", ["00603"])])
    assert failed and result["defIds"] == ids and not fake.writes()


def test_renames_are_ordered_so_texts_stay_unique(fake, run):
    a, b = fake.seed(VDN, ("First", "001", ["00601"]), ("Second", "002", ["00602"]))
    # 002 takes "First", which 001 gives up for "Third": 001 must be renamed first.
    result, failed = run([entry("First", ["00602"], "002"), entry("Third", ["00601"], "001")], state="replaced")
    assert not failed
    assert [w[3]["defId"] for w in fake.writes()] == [a, b]
    assert fake.state(VDN) == {"First": ("002", ["00602"]), "Third": ("001", ["00601"])}


def test_swapped_texts_are_refused(fake, run):
    fake.seed(VDN, ("First", "001", ["00601"]), ("Second", "002", ["00602"]))
    result, failed = run([entry("Second", ["00601"], "001"), entry("First", ["00602"], "002")], state="replaced")
    assert failed and "would have to be exchanged" in result["msg"] and not fake.writes()


def test_validate_obs_codes_names_the_unknown_ones(fake, run):
    result, failed = run([entry("A", ["00601", "09999"]), entry("B", ["08888"])], validate_obs_codes=True)
    assert failed and "09999" in result["msg"] and "08888" in result["msg"]
    assert result["unknown_obs_codes"] == ["08888", "09999"]
    assert fake.count("obs_code.list") == 2 and not fake.writes() and fake.count("ob_result.list") == 1


def test_obs_codes_are_checked_before_any_write_even_without_validate_obs_codes(fake, run):
    fake.seed(VDN, ("Gone", "009", ["00609"]))
    result, failed = run([entry("A", ["00601"]), entry("B", ["09999"]), entry("C", ["00603"])], state="overridden")
    assert failed and not result["changed"] and result["unknown_obs_codes"] == ["09999"]
    assert "Nothing was written" in result["msg"] and not fake.writes()
    assert list(fake.state(VDN)) == ["Gone"]


def test_obs_codes_are_not_read_when_nothing_is_written(fake, run):
    fake.seed(VDN, ("A", None, ["00601"]))
    result, failed = run([entry("A", ["00601"])], state="replaced")
    assert not failed and not result["changed"] and fake.count("obs_code.list") == 0


def test_validate_obs_codes_passes_known_ones(fake, run):
    result, failed = run([entry("A", ["00601"])], validate_obs_codes=True)
    assert not failed and result["changed"] and fake.count("obs_code.list") == 2


def test_ambiguous_create_that_happened_is_not_repeated(fake, run):
    fake.fail("ob_result.create", status=502, act=True)
    result, failed = run([entry("A", ["00601"], "001"), entry("B", ["00602"])])
    assert not failed and result["changed"]
    assert fake.count("ob_result.create") == 2 and len(fake.state(VDN)) == 2
    assert all(c["defId"] for c in result["created"])


def test_ambiguous_create_that_landed_beside_a_racers_copy_leaves_one_result(fake, run):
    # The create of "B" lands but its answer is lost (502); another run created "B" at the same moment.
    fake.racers["B"] = "7"
    fake.fail("ob_result.create", status=502, act=True)
    result, failed = run([entry("B", ["00601"]), entry("A", ["00601"])])
    assert not failed and result["changed"]
    assert sorted(fake.state(VDN)) == ["A", "B"] and "7" in fake.vdns[VDN], "one B stays: the lowest defId"
    assert len(result["duplicates_removed"]) == 1 and result["duplicates_removed"][0] != "7"
    assert fake.count("ob_result.create") == 2 and fake.count("ob_result.delete") == 1
    result, failed = run([entry("B", ["00601"]), entry("A", ["00601"])])
    assert not failed and not result["changed"], "the next run changes nothing"


def test_ambiguous_create_that_did_not_happen_is_tried_again(fake, run):
    fake.fail("ob_result.create", status=503, act=False)
    result, failed = run([entry("A", ["00601"])])
    assert not failed and fake.count("ob_result.create") == 2 and list(fake.state(VDN)) == ["A"]
    # the one listing pass, one re-read after the failure, and the one after the creates
    assert fake.count("ob_result.list") == 3


def test_ambiguous_delete_that_happened_is_not_repeated(fake, run):
    fake.seed(VDN, ("A", "001", ["00601"]))
    fake.fail("ob_result.delete", status=504, act=True)
    result, failed = run([{"result_code": "001"}], state="deleted")
    assert not failed and fake.count("ob_result.delete") == 1 and fake.state(VDN) == {}


def test_a_refusal_stops_the_writes_before_any_delete_and_reports_what_was_done(fake, run):
    fake.seed(VDN, ("Gone", "009", ["00609"]), ("Up", "U", ["00601"]))
    # The server refuses the first create (a display text too long for it, say).
    fake.fail("ob_result.create", code="02000003")
    result, failed = run([entry("Up", ["00602"], "U"), entry("B", ["00602"]), entry("C", ["00603"])],
                         state="overridden")
    assert failed and result["changed"]
    assert result["returnCode"] == "02000003" and "longer than the maximum" in result["msg"]
    assert "created 0, updated 1 and deleted 0" in result["msg"]
    assert [u["display_result"] for u in result["updated"]] == ["Up"] and result["deleted"] == []
    assert sorted(fake.state(VDN)) == ["Gone", "Up"], "nothing was deleted"
    assert fake.count("ob_result.create") == 1 and fake.count("ob_result.delete") == 0


def test_pages_and_details_are_read_concurrently(fake, run):
    items = [("Result %d" % i, "R%d" % i, ["00601"]) for i in range(120)]
    fake.seed(VDN, *items)
    config = [entry(t, c, rc) for t, rc, c in items]
    result, failed = run(config, state="replaced", max_workers=4)
    assert not failed and not result["changed"] and len(result["unchanged"]) == 120
    assert fake.count("ob_result.list") == 3 and fake.count("ob_result.detail") == 120 and result["api_requests"] == 123


def test_concurrent_writes(fake, run):
    fake.seed(VDN, ("Gone 1", None, ["00601"]), ("Gone 2", None, ["00601"]), ("Up", "U", ["00601"]))
    config = [entry("New %d" % i, ["00602"]) for i in range(10)] + [entry("Up", ["00603"], "U")]
    result, failed = run(config, state="overridden", max_workers=4, write_workers=4)
    assert not failed and len(result["created"]) == 10 and len(result["deleted"]) == 2
    assert [c["display_result"] for c in result["created"]] == ["New %d" % i for i in range(10)]
    kinds = [w[0] for w in fake.writes()]
    assert kinds == ["ob_result.update"] + ["ob_result.create"] * 10 + ["ob_result.delete", "ob_result.delete"]
    assert len(fake.state(VDN)) == 11


def test_a_server_that_pages_smaller_is_read_to_the_end(run):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        fake = FakeIsales(rsps, page_size_cap=20, secret_key=SECRET)
        fake.seed(VDN, *[("R%d" % i, None, ["00601"]) for i in range(70)])
        result, failed = run([entry("R%d" % i, ["00601"]) for i in range(70)], max_workers=4)
        assert not failed and len(result["unchanged"]) == 70
        assert fake.count("ob_result.list") == 4  # pages of 20: 20, 20, 20, then 10 (short: the end)


def test_a_create_that_loses_a_race_is_removed_and_the_survivor_reported(fake, run):
    fake.racers["B"] = "7"   # another run creates "B" at the same moment, and gets the lower defId
    result, failed = run([entry("A", ["00601"]), entry("B", ["00602"])])
    assert not failed and result["changed"]
    assert [c["display_result"] for c in result["created"]] == ["A"]
    assert len(result["duplicates_removed"]) == 1 and result["duplicates_removed"][0] != "7"
    assert result["unchanged"] == ["7"]
    assert sorted(fake.state(VDN)) == ["A", "B"] and "7" in fake.vdns[VDN]
    result, failed = run([entry("A", ["00601"]), entry("B", ["00602"])])
    assert not failed and not result["changed"], "the next run changes nothing"


def test_identical_copies_are_reduced_to_the_lowest_def_id(fake, run):
    ids = fake.seed(VDN, ("Twice", None, ["00603"]), ("Twice", None, ["00603"]), ("Twice", None, ["00603"]))
    result, failed = run([entry("Twice", ["00603"])], state="replaced")
    assert not failed and result["changed"]
    assert result["duplicates_removed"] == ids[1:] and result["unchanged"] == [ids[0]] and result["deleted"] == []
    assert list(fake.vdns[VDN]) == [ids[0]]
    assert fake.count("ob_result.list") == 3, "read again twice before judging the copies"


def test_identical_copies_in_check_mode_are_predicted(fake, run):
    ids = fake.seed(VDN, ("Twice", None, ["00603"]), ("Twice", None, ["00603"]))
    result, failed = run([entry("Twice", ["00603"])], _ansible_check_mode=True)
    assert not failed and result["changed"] and result["duplicates_removed"] == [ids[1]] and not fake.writes()


# -- the reference guard on deletes (check_references) -------------------------------------------------------------


CAMPAIGNS = [
    {"campaignId": "C1", "name": "Spring", "status": 2, "retryPolicy": {
        "policyType": 0, "policyJson": "{'noRetryPolicy':['008']}", "noRetryPolicy": ["008"]}},
    {"campaignId": "C2", "name": "Autumn", "status": 3, "retryPolicy": {
        "policyType": 0, "policyJson": "{}", "noRetryPolicy": "011"}},
    {"campaignId": "C3", "name": "Numbers", "status": 4, "retryPolicy": {
        "policyType": 1, "policyJson": "[{'dataType':'SI','type':1}]"}},
    {"campaignId": "C4", "name": "Bare", "status": 2},
]


def guarded(fake):
    """VDN 12: results A (001), B (008, named by C1), C (009), D (no code), Up (U), and four campaigns."""
    ids = fake.seed(VDN, ("A", "001", ["00601"]), ("B", "008", ["00602"]), ("C", "009", ["00603"]),
                    ("D", None, ["00604"]), ("Up", "U", ["00605"]))
    fake.seed_campaigns(VDN, *CAMPAIGNS)
    return ids


def scans(fake):
    return fake.count("campaign.list"), fake.count("retry_policy.get")


def test_deleted_with_one_blocked_result_writes_nothing(fake, run):
    ids = guarded(fake)
    before = fake.state(VDN)
    result, failed = run([entry("A"), entry("B"), entry("C"), entry("D")], state="deleted", max_workers=4)
    assert failed and not result["changed"]
    assert result["msg"].startswith("refusing to delete: the no-retry list of campaign C1 (Spring, started) names the "
                                    "result code '008' of the external result 'B' (defId %s)" % ids[1])
    assert [item["defId"] for item in result["referenced"]] == [ids[1]]
    assert result["referenced"][0]["used_by"] == [
        {"campaign_id": "C1", "campaign_name": "Spring", "campaign_status": "started"}]
    assert fake.writes() == [] and fake.state(VDN) == before
    assert scans(fake) == (1, 4), "one campaign list and one policy read per campaign, for three coded deletes"


def test_overridden_with_one_blocked_delete_makes_no_create_or_update(fake, run):
    guarded(fake)
    before = fake.state(VDN)
    result, failed = run([entry("A", ["00601"], "001"), entry("Up", ["00606"], "U"), entry("New", ["00607"], "N")],
                         state="overridden")
    assert failed and "result code '008'" in result["msg"] and "'B'" in result["msg"]
    assert "'C'" not in result["msg"], "C (009) is named by no campaign"
    assert fake.writes() == [], "not even the create and the update the task also asks for"
    assert fake.state(VDN) == before and "New" not in fake.state(VDN)
    assert scans(fake) == (1, 4)


def test_overridden_check_mode_predicts_the_refusal(fake, run):
    guarded(fake)
    result, failed = run([entry("A", ["00601"], "001")], state="overridden", _ansible_check_mode=True)
    assert failed and "refusing to delete" in result["msg"] and fake.writes() == []


def test_deletes_no_campaign_names_go_on_after_one_scan(fake, run):
    guarded(fake)
    result, failed = run([entry("A"), entry("C"), entry("D"), {"result_code": "U"}], state="deleted", max_workers=3)
    assert not failed and result["changed"]
    assert sorted(item["display_result"] for item in result["deleted"]) == ["A", "C", "D", "Up"]
    assert list(fake.state(VDN)) == ["B"]
    assert scans(fake) == (1, 4), "the scan happens once, whatever the number of deletes"
    assert fake.count("ob_result.delete") == 4


def test_overridden_that_frees_nothing_referenced_writes_everything(fake, run):
    guarded(fake)
    result, failed = run([entry("B", ["00602"], "008"), entry("Up", ["00606"], "U")], state="overridden")
    assert not failed and sorted(item["display_result"] for item in result["deleted"]) == ["A", "C", "D"]
    assert [item["display_result"] for item in result["updated"]] == ["Up"]
    assert scans(fake) == (1, 4)


def test_check_references_false_reads_no_campaign(fake, run):
    guarded(fake)
    result, failed = run([entry("A"), entry("B")], state="deleted", check_references=False)
    assert not failed and len(result["deleted"]) == 2 and "B" not in fake.state(VDN)
    assert scans(fake) == (0, 0)


def test_deletes_without_result_codes_read_no_campaign(fake, run):
    guarded(fake)
    result, failed = run([entry("D")], state="deleted")
    assert not failed and [item["display_result"] for item in result["deleted"]] == ["D"]
    assert scans(fake) == (0, 0)


@pytest.mark.parametrize("state", ["merged", "replaced"])
def test_states_that_delete_nothing_read_no_campaign(fake, run, state):
    guarded(fake)
    result, failed = run([entry("B", ["00606"], "008")], state=state)
    assert not failed and result["changed"] and scans(fake) == (0, 0)


def test_a_delete_of_nothing_listed_reads_no_campaign(fake, run):
    guarded(fake)
    result, failed = run([entry("Z")], state="deleted")
    assert not failed and not result["changed"] and scans(fake) == (0, 0)


def test_a_policy_that_cannot_be_read_refuses_every_delete(fake, run):
    guarded(fake)
    fake.faults.add([{"call": "retry_policy.get", "kind": "rewrite", "act": False, "where": {"campaignId": "C2"},
                      "set": {"returnCode": "0200001", "resultCode": "0200001", "returnDesc": "busy"}}])
    result, failed = run([entry("A"), entry("C")], state="deleted")
    assert failed and "the retry policy of campaign C2 (Autumn, suspended) could not be read" in result["msg"]
    assert "check_references" in result["msg"] and result["returnCode"] == "0200001"
    assert fake.writes() == [] and "A" in fake.state(VDN)


def test_a_vanished_campaign_does_not_block_a_delete(fake, run):
    guarded(fake)
    fake.faults.add([{"call": "retry_policy.get", "kind": "rewrite", "act": False, "where": {"campaignId": "C1"},
                      "set": {"returnCode": "0200007", "resultCode": "0200007", "returnDesc": "no campaign"}}])
    result, failed = run([entry("B")], state="deleted")
    assert not failed and [item["display_result"] for item in result["deleted"]] == ["B"]


@pytest.mark.parametrize("state", ["deleted", "overridden"])
def test_delete_all_is_guarded_too(fake, run, state):
    guarded(fake)
    before = fake.state(VDN)
    result, failed = run([], state=state, delete_all=True)
    assert failed and "result code '008'" in result["msg"] and "C1 (Spring, started)" in result["msg"]
    assert fake.writes() == [] and fake.state(VDN) == before and scans(fake) == (1, 4)
    result, failed = run([], state=state, delete_all=True, check_references=False)
    assert not failed and fake.state(VDN) == {}
