# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A campaign's retry policy: GET and POST /{vdnId}/retryPolicy/{campaignId}."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from sim_resources.campaigns import campaigns
from sim_resources.common import (ERR_COMBINATION, ERR_CONVERSION, ERR_EMPTY, ERR_TYPE, ERR_VALUE, Rejected, json_object,
                                  parse_int, success)
from sim_resources.ob_results import results
from sim_resources.policy_text import loads_lenient, read_codes

POLICY_TYPES = {0: dict, 1: list}   # 0 global policy: one object; 1 number-type policy: a list of entries


def _policy_type(value):
    if value is None or value == "":
        raise Rejected(ERR_EMPTY, "policyType is empty")
    number = parse_int(value) if isinstance(value, str) else value
    if isinstance(number, bool) or not isinstance(number, int):
        raise Rejected(ERR_TYPE, "policyType must be an integer")
    if number not in POLICY_TYPES:
        raise Rejected(ERR_VALUE, "policyType must be 0 or 1")
    return number


def _document(value, policy_type):
    """The policyJson text read leniently, checked against the policy type."""
    if value is None or value == "":
        raise Rejected(ERR_EMPTY, "policyJson is empty")
    if not isinstance(value, str):
        raise Rejected(ERR_TYPE, "policyJson must be a string")
    try:
        document = loads_lenient(value)
    except ValueError as exc:
        raise Rejected(ERR_CONVERSION, "policyJson is not valid JSON: %s" % exc) from exc
    if not isinstance(document, POLICY_TYPES[policy_type]):
        raise Rejected(ERR_VALUE, "policyJson of policyType %d must be a JSON %s" % (
            policy_type, "object" if policy_type == 0 else "array"))
    return document


def _no_retry_codes(document, policy_type):
    """The result codes of the document's noRetryPolicy (refused in a number-type policy)."""
    if policy_type == 1:
        if any(isinstance(entry, dict) and "noRetryPolicy" in entry for entry in document):
            raise Rejected(ERR_COMBINATION, "noRetryPolicy cannot be set in a number-type policy (policyType 1)")
        return []
    codes = read_codes(document.get("noRetryPolicy"))
    if codes is None:
        raise Rejected(ERR_TYPE, "noRetryPolicy must be a list of result codes")
    return codes


def get(call):
    data = campaigns(call.store).policy_data(call.vdn_id, call.params["campaignId"])
    return success("queryRetryPolicy", data=data)


def set_policy(call):
    """Replace the whole policy. A code no external result of the VDN has: kept or refused (unknown_result_codes)."""
    body = json_object(call.body)
    policy_type = _policy_type(body.get("policyType"))
    document = _document(body.get("policyJson"), policy_type)
    codes = _no_retry_codes(document, policy_type)
    part = campaigns(call.store)
    if part.switches(call.vdn_id)["unknown_result_codes"] == "refuse":
        unknown = [code for code in codes if code not in results(call.store).result_codes(call.vdn_id)]
        if unknown:
            raise Rejected(ERR_VALUE, "noRetryPolicy: no external result of VDN %d has the code %s" % (
                call.vdn_id, ", ".join(unknown)))
    part.set_policy(call.vdn_id, call.params["campaignId"], policy_type, document)
    return success("setRetryPolicy")
