# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The external-result calls check what the server sends before it is used: defIds are 1 to 20 digits
and one path segment, items and details have the shapes the modules rely on."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import responses

from ansible_collections.huawei.isales.plugins.module_utils import _api_ob_results as api
from ansible_collections.huawei.isales.plugins.module_utils._client import Call
from ansible_collections.huawei.isales.plugins.module_utils._errors import IsalesError
from ansible_collections.huawei.isales.tests.unit.plugins.module_utils.test_paging import BASE, Server, client, results


@pytest.fixture
def rsps(mocked):
    """The requests seam, mocked (tests/unit/conftest.py)."""
    return mocked


@pytest.mark.parametrize("bad,what", [
    ("../../../../x/y", "defId that is not 1 to 20 decimal digits"),
    ("12a", "defId that is not 1 to 20 decimal digits"),
    ("1" * 21, "defId that is not 1 to 20 decimal digits"),
    (None, "defId that is not 1 to 20 decimal digits"),
    (True, "defId that is not 1 to 20 decimal digits"),
    (-5, "defId that is not 1 to 20 decimal digits"),
])
def test_a_hostile_def_id_in_a_listing_is_refused(rsps, bad, what):
    items = results(2)
    items[1]["defId"] = bad
    server = Server(rsps, items)
    with pytest.raises(IsalesError) as info:
        api.list_results(client(), 12)
    assert info.value.kind == "parse" and what in info.value.msg and "queryOBSResults" in info.value.msg
    assert len(server.pages) == 1, "refused at once: the answer is hostile, not broken"


def test_integer_def_ids_and_result_codes_are_taken_as_text(rsps):
    Server(rsps, [{"defId": 1645244637, "displayResult": "Busy", "resultCode": 7}])
    assert api.list_results(client(), 12) == [{"defId": "1645244637", "displayResult": "Busy", "resultCode": "7"}]


@pytest.mark.parametrize("item,what", [
    ({"defId": "1", "displayResult": None}, "displayResult that is not text"),
    ({"defId": "1", "displayResult": ["x"]}, "displayResult that is not text"),
    ({"defId": "1", "displayResult": "x", "resultCode": {"a": 1}}, "resultCode that is not text"),
    ("just a string", "list item that is not an object"),
])
def test_malformed_items_are_refused(rsps, item, what):
    Server(rsps, [item])
    with pytest.raises(IsalesError, match=what):
        api.list_results(client(), 12)


def test_a_detail_of_another_result_is_refused(rsps):
    rsps.add(responses.GET, BASE + "/rest/isales/v1/openapi/campaigns/12/5/queryObsResultDetail",
             json={"returnCode": "0200000", "obResult": {"defId": "6", "displayResult": "x", "resultMapList": []}})
    with pytest.raises(IsalesError, match="the detail of another result"):
        api.get_result(client(), 12, "5")


def test_a_hostile_def_id_from_a_create_is_refused(rsps):
    rsps.add(responses.POST, BASE + "/rest/isales/v1/openapi/campaigns/12/createObResult",
             json={"returnCode": "0200000", "defId": "../../x"})
    with pytest.raises(IsalesError) as info:
        api.create_result(client(), 12, "Busy", ["00601"])
    assert info.value.kind == "parse" and info.value.ambiguous, "the create happened: its outcome must be reconciled"


@pytest.mark.parametrize("def_id", ["../x", "1/2", "", "1 2"])
def test_no_request_is_made_for_a_def_id_that_is_not_digits(rsps, def_id):
    with pytest.raises(IsalesError):
        api.delete_result(client(), 12, def_id)
    assert not rsps.calls


def test_a_def_id_is_one_path_segment():
    assert client().path(api.DELETE, {"vdn_id": 12, "def_id": "1645244637"}).endswith("/12/1645244637/deleteObsResult")
    assert client().path(Call("x", "GET", "/{vdn_id}/{def_id}/x"), {"vdn_id": 12, "def_id": "a/b"}).endswith("/12/a%2Fb/x")
