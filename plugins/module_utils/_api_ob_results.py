# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The external-result calls of the OpenAPI, and the checks of their answers.

Each function takes an IsalesClient and returns what the server said, checked:

* list_results() -> [listed]: {defId, displayResult, resultCode ("" when none)};
* get_result() -> detail: {defId, displayResult, resultCode, obsCodes};
* create_result() -> the answer, its defId checked; update_result(), delete_result();
* probe(): the cheapest signed read there is (isales_server_info).

A defId is 1 to 20 decimal digits wherever it comes from, and one percent-encoded
path segment when it goes into a path.

Private module_utils: may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.huawei.isales.plugins.module_utils._client import Call
from ansible_collections.huawei.isales.plugins.module_utils._errors import bad_answer, code_text, text_value
from ansible_collections.huawei.isales.plugins.module_utils._paging import ListSpec, read_list

DETAIL = Call("ob_result.detail", "GET", "/{vdn_id}/{def_id}/queryObsResultDetail")
CREATE = Call("ob_result.create", "POST", "/{vdn_id}/createObResult")
UPDATE = Call("ob_result.update", "POST", "/{vdn_id}/updateObResult")
DELETE = Call("ob_result.delete", "DELETE", "/{vdn_id}/{def_id}/deleteObsResult")

DEF_ID_DIGITS = 20


def check_def_id(value, call):
    """A defId as its string of 1 to 20 decimal digits; IsalesError (parse) naming the call otherwise."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        value = str(value)
    if isinstance(value, str) and 0 < len(value) <= DEF_ID_DIGITS and value.isascii() and value.isdigit():
        return value
    raise bad_answer(call, "a defId that is not 1 to 20 decimal digits", value)


def _result_code(value, call):
    return "" if value is None else code_text(value, call, "resultCode")


def check_result_item(item, call):
    """One queryOBSResults item: {defId, displayResult, resultCode}."""
    if not isinstance(item, dict):
        raise bad_answer(call, "a list item that is not an object", item)
    return {"defId": check_def_id(item.get("defId"), call),
            "displayResult": text_value(item.get("displayResult"), call, "displayResult"),
            "resultCode": _result_code(item.get("resultCode"), call)}


def check_detail(detail, def_id, call):
    """A queryObsResultDetail obResult: {defId, displayResult, resultCode, obsCodes}; it must be def_id's."""
    if not isinstance(detail, dict):
        raise bad_answer(call, "no obResult object", detail)
    if check_def_id(detail.get("defId"), call) != def_id:
        raise bad_answer(call, "the detail of another result (defId %s)" % detail.get("defId"), detail.get("defId"))
    maps = detail.get("resultMapList") or []
    if not isinstance(maps, list) or not all(isinstance(entry, dict) for entry in maps):
        raise bad_answer(call, "a resultMapList that is not a list of objects", maps)
    return {
        "defId": def_id,
        "displayResult": text_value(detail.get("displayResult"), call, "displayResult"),
        "resultCode": _result_code(detail.get("resultCode"), call),
        "obsCodes": [code_text(entry["failCode"], call, "failCode") for entry in maps if entry.get("failCode") is not None],
    }


LIST = ListSpec(Call("ob_result.list", "GET", "/{vdn_id}/queryOBSResults"), check_result_item, "defId")


def list_results(client, vdn_id, pool=None):
    """The VDN's external results (listed shape); with a pool, pages after the first concurrently."""
    return read_list(client, LIST, {"vdn_id": vdn_id}, pool)


def probe(client, vdn_id, signed_headers=None):
    """The cheapest signed read: the first page, of one result, of the VDN's list (isales_server_info)."""
    return client.send(LIST.call, {"vdn_id": vdn_id}, query=LIST.page_query(1, size=1),
                       signed_headers=signed_headers)[0]


def get_result(client, vdn_id, def_id):
    """One result's detail: {defId, displayResult, resultCode, obsCodes}."""
    def_id = check_def_id(def_id, "the detail request")
    payload, call = client.send(DETAIL, {"vdn_id": vdn_id, "def_id": def_id})
    return check_detail(payload.get("obResult"), def_id, call)


def create_result(client, vdn_id, display_result, obs_codes, result_code=None):
    """The answer to the create, its defId checked."""
    body = {}
    if result_code:
        body["resultCode"] = result_code
    body["displayResult"] = display_result
    body["obsCodes"] = list(obs_codes)
    payload, call = client.send(CREATE, {"vdn_id": vdn_id}, body=body)
    payload["defId"] = check_def_id(payload.get("defId"), call)
    return payload


def update_result(client, vdn_id, def_id, display_result, obs_codes):
    body = {"defId": check_def_id(def_id, "the update request"), "displayResult": display_result,
            "obsCodes": list(obs_codes)}
    return client.send(UPDATE, {"vdn_id": vdn_id}, body=body)[0]


def delete_result(client, vdn_id, def_id):
    def_id = check_def_id(def_id, "the delete request")
    return client.send(DELETE, {"vdn_id": vdn_id, "def_id": def_id})[0]
