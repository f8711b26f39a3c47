# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bulk planner, without HTTP: matching, planning, ordering, uniqueness."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.huawei.isales.plugins.module_utils import _api_obs_codes as obs_codes_api
from ansible_collections.huawei.isales.plugins.module_utils import _ob_result as ob_result
from ansible_collections.huawei.isales.plugins.module_utils._errors import ResourceError
from ansible_collections.huawei.isales.plugins.module_utils._ob_result import CREATE, DELETE, UPDATE
from ansible_collections.huawei.isales.plugins.module_utils._ob_results import (
    Op,
    details_needed,
    match_config,
    normalize_config,
    plan_bulk,
    update_levels,
    validate_bulk,
)

VDN = 5


def listed(def_id, text, code=None):
    return {"defId": def_id, "displayResult": text, "resultCode": code or ""}


def state(def_id, text, code=None, codes=()):
    return {"defId": def_id, "display_result": text, "result_code": code, "obs_codes": sorted(codes), "vdn_id": VDN}


def cfg(*entries):
    return normalize_config([dict(display_result=t, obs_codes=c, result_code=r) for t, c, r in entries])


def plan(config, listing, details, mode):
    pairs = match_config(config, listing)
    return plan_bulk(VDN, config, listing, pairs, details, mode)


def test_normalize_config_sorts_and_dedupes_codes():
    assert normalize_config([{"display_result": "A", "obs_codes": ["2", "1", "2"], "result_code": ""}]) == [
        {"display_result": "A", "obs_codes": ["1", "2"], "result_code": None}]


def test_match_by_code_then_by_text():
    listing = [listed("1", "A", "X"), listed("2", "B")]
    config = cfg(("Renamed", ["1"], "X"), ("B", ["1"], None), ("New", ["1"], "Y"))
    assert [(i, item and item["defId"]) for i, item in match_config(config, listing)] == [(0, "1"), (1, "2"), (2, None)]


def test_an_entry_with_a_code_does_not_match_a_result_without_one():
    listing = [listed("1", "A")]
    assert match_config(cfg(("A", ["1"], "X")), listing) == [(0, None)]


def test_details_needed():
    """The matched results, to compare them, and every result to delete, to return it in full."""
    listing = [listed("1", "A", "X"), listed("2", "B")]
    pairs = match_config(cfg(("A", ["1"], "X")), listing)
    assert details_needed("merged", pairs, listing) == ["1"]
    assert details_needed("overridden", pairs, listing) == ["1", "2"]
    assert details_needed("deleted", pairs, listing) == ["1"]
    assert details_needed("deleted", [], listing) == ["1", "2"]


def test_plan_merged_replaced_overridden():
    listing = [listed("1", "A", "X"), listed("2", "B")]
    details = {"1": state("1", "A", "X", ["01", "02"]), "2": state("2", "B", None, ["03"])}
    config = cfg(("A", ["03"], "X"), ("C", ["04"], None))
    ops, unchanged = plan(config, listing, details, "merged")
    assert [(op.action, op.def_id) for op in ops] == [(UPDATE, "1"), (CREATE, None)]
    assert ops[0].after["obs_codes"] == ["01", "02", "03"] and not unchanged
    ops, _unchanged = plan(config, listing, details, "replaced")
    assert ops[0].after["obs_codes"] == ["03"]
    ops, _unchanged = plan(config, listing, details, "overridden")
    assert [(op.action, op.def_id) for op in ops] == [(UPDATE, "1"), (CREATE, None), (DELETE, "2")], \
        "creates and updates first: a refusal stops the task before anything is deleted"
    assert ops[-1].before["obs_codes"] == ["03"]


def test_plan_unchanged_and_merged_subset():
    listing = [listed("1", "A", "X")]
    details = {"1": state("1", "A", "X", ["01", "02"])}
    ops, unchanged = plan(cfg(("A", ["02"], "X")), listing, details, "merged")
    assert ops == [] and [op.def_id for op in unchanged] == ["1"]


def test_plan_deleted():
    listing = [listed("1", "A", "X"), listed("2", "B")]
    ops, _unchanged = plan(cfg((None, None, "X"), ("Z", None, None)), listing, {}, "deleted")
    assert [(op.action, op.def_id, op.before["obs_codes"]) for op in ops] == [(DELETE, "1", None)]
    ops, _unchanged = plan_bulk(VDN, [], listing, [], {}, "deleted")
    assert [op.def_id for op in ops] == ["1", "2"]


def test_overridden_frees_a_text_for_a_create():
    listing = [listed("1", "Busy")]
    ops, _unchanged = plan(cfg(("Busy", ["1"], "003")), listing, {}, "overridden")
    assert [op.action for op in ops] == [DELETE, CREATE]
    with pytest.raises(ResourceError) as info:
        plan(cfg(("Busy", ["1"], "003")), listing, {}, "replaced")
    assert "display texts must stay unique" in info.value.msg


def test_a_rename_onto_a_kept_result_is_refused():
    listing = [listed("1", "A", "X"), listed("2", "B", "Y")]
    details = {"1": state("1", "A", "X", ["01"])}
    with pytest.raises(ResourceError) as info:
        plan(cfg(("B", ["01"], "X")), listing, details, "merged")
    assert "result_code: 'Y'" in info.value.msg


def test_an_unchanged_pre_existing_duplicate_is_not_our_business():
    listing = [listed("1", "A", "X"), listed("2", "A")]
    details = {"1": state("1", "A", "X", ["01"])}
    ops, unchanged = plan(cfg(("A", ["01"], "X")), listing, details, "merged")
    assert ops == [] and len(unchanged) == 1


def test_merged_entries_keeping_their_texts_may_not_collide():
    listing = [listed("1", "A", "X"), listed("2", "B", "Y")]
    details = {"1": state("1", "A", "X", ["01"]), "2": state("2", "B", "Y", ["01"])}
    config = normalize_config([{"result_code": "X", "display_result": "B"}, {"result_code": "Y"}])
    with pytest.raises(ResourceError) as info:
        plan(config, listing, details, "merged")
    assert "config item 1 and config item 2 would both show the display text 'B'" in info.value.msg


def _rename(def_id, old, new):
    return Op(UPDATE, def_id, state(def_id, old), state(def_id, new))


def test_update_levels_follow_chains():
    a, b, c = _rename("a", "T1", "T2"), _rename("b", "T2", "T3"), _rename("c", "T3", "T4")
    levels = update_levels([a, b, c])
    assert [[op.def_id for op in level] for level in levels] == [["c"], ["b"], ["a"]]


def test_update_levels_refuse_cycles():
    with pytest.raises(ResourceError) as info:
        update_levels([_rename("a", "T1", "T2"), _rename("b", "T2", "T1"), _rename("c", "X", "Y")])
    assert info.value.details["defIds"] == ["a", "b"]


def test_independent_updates_share_a_level():
    ops = [_rename("a", "A", "A2"), Op(UPDATE, "b", state("b", "B"), state("b", "B", codes=["1"]))]
    assert [len(level) for level in update_levels(ops)] == [2]


@pytest.mark.parametrize("params,fragment", [
    (dict(state="deleted", config=[]), "set delete_all: true"),
    (dict(state="merged", delete_all=True), "delete_all: true is only allowed"),
    (dict(state="overridden", config=[]), "state=overridden, which would delete every external result"),
    (dict(config=[{"display_result": "A", "obs_codes": None, "result_code": None}] * 2), "same display_result 'A'"),
    (dict(write_workers=0), "write_workers must be from 1 to 32"),
])
def test_validate_bulk(params, fragment):
    full = dict(vdn_id=VDN, state="merged", config=[], delete_all=False, max_workers=8, write_workers=1)
    full.update(params)
    assert any(fragment in problem for problem in validate_bulk(full)), validate_bulk(full)


def test_validate_bulk_is_quiet_on_good_input():
    assert validate_bulk(dict(vdn_id=VDN, state="deleted", config=[], delete_all=True, max_workers=8,
                              write_workers=1)) == []


def test_single_module_validation_is_unchanged():
    assert ob_result.validate(dict(vdn_id=1, display_result="A", obs_codes=[], state="present")) == [
        "obs_codes must list at least one OBS code when state=present"]
    assert ob_result.validate(dict(vdn_id=1, display_result="A", obs_codes=[], state="absent")) == []
    assert ob_result.validate(dict(vdn_id=1, display_result=None, obs_codes=["1"], state="present")) == [
        "display_result must not be empty"]


def test_unknown_obs_codes():
    catalogue = [{"obsCode": "00601"}, {"obsCode": "00602", "obsCodeDesc": "x"}]
    assert obs_codes_api.unknown_obs_codes(catalogue, ["00603", "00601", "00603"]) == ["00603"]
    with pytest.raises(ResourceError) as info:
        obs_codes_api.check_obs_codes(catalogue, ["00609", "00602"], 7)
    assert info.value.details == {"unknown_obs_codes": ["00609"]}
    obs_codes_api.check_obs_codes(catalogue, ["00602"], 7)


def test_only_writes_that_need_a_freed_text_wait_for_the_deletes():
    listing = [listed("1", "Old"), listed("2", "Keep", "K"), listed("3", "Other", "O")]
    details = {"1": state("1", "Old", None, ["01"]), "2": state("2", "Keep", "K", ["01"]),
               "3": state("3", "Other", "O", ["01"])}
    # "Old" is freed by a delete and taken by a rename of K; K's old text "Keep" is then taken by O.
    config = cfg(("Old", ["01"], "K"), ("Keep", ["01"], "O"), ("New", ["02"], "N"), ("Other2", ["01"], "P"))
    ops, _unchanged = plan(config, listing, details, "overridden")
    order = [(op.action, op.def_id or op.after["display_result"]) for op in ops]
    assert order == [(CREATE, "New"), (CREATE, "Other2"), (DELETE, "1"), (UPDATE, "2"), (UPDATE, "3")]


def test_duplicate_groups_are_only_those_an_entry_matches_by_text():
    from ansible_collections.huawei.isales.plugins.module_utils._ob_results import duplicate_groups
    listing = [listed("1", "A"), listed("2", "A"), listed("3", "B", "X"), listed("4", "B"), listed("5", "C"),
               listed("6", "C")]
    groups = duplicate_groups(cfg(("A", ["1"], None), ("B", ["1"], "X"), ("A", ["1"], None)), listing)
    assert [[item["defId"] for item in group] for group in groups] == [["1", "2"]]


@pytest.mark.parametrize("state_name,entry,fragment", [
    ("merged", {"display_result": "Busy ", "obs_codes": ["1"]}, "must not start or end with whitespace"),
    ("replaced", {"display_result": " Busy", "obs_codes": ["1"]}, "must not start or end with whitespace"),
    ("overridden", {"display_result": "Busy\u00a0", "obs_codes": ["1"]}, "must not start or end with whitespace"),
])
def test_a_display_text_with_outer_whitespace_is_refused_before_any_request(state_name, entry, fragment):
    full = dict(vdn_id=VDN, state=state_name, config=[dict(entry, result_code=None)], delete_all=False,
                max_workers=8, write_workers=1)
    assert any(fragment in problem and problem.startswith("config item 1: ") for problem in validate_bulk(full))


def test_a_display_text_with_outer_whitespace_may_still_be_deleted():
    full = dict(vdn_id=VDN, state="deleted", config=[{"display_result": "Busy ", "obs_codes": None,
                                                      "result_code": None}],
                delete_all=False, max_workers=8, write_workers=1)
    assert validate_bulk(full) == []
    assert ob_result.validate(dict(vdn_id=1, display_result=" A", obs_codes=None, state="absent")) == []
    assert "must not start or end with whitespace" in ob_result.validate(
        dict(vdn_id=1, display_result=" A", obs_codes=["1"], state="present"))[0]
