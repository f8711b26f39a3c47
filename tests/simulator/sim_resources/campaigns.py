# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Campaigns: the list and the detail call, each VDN's campaigns with their retry policies, and the
per-VDN switches (the list's layout, the form of noRetryPolicy, what happens to unknown or deleted result codes)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import itertools

from sim_resources.common import (ERR_EMPTY, ERR_RANGE, ERR_TOO_LONG, ERR_TYPE, ERR_VALUE, Part, Rejected, parse_int,
                                  success)
from sim_resources.ob_results import results
from sim_resources.policy_text import NO_RETRY_FORMS, Seeded, Stored

ERR_NO_CAMPAIGN = "0200007"
STATUSES = (0, 2, 3, 4)
DEVICE_TYPES = (0, 1, 2, 3, 5, 6)
DEFAULT_ROWS = 10
MAX_ROWS = 100
MAX_NAME = 30
FIRST_POLICY_ID = 3000000001

# The per-VDN switches: their values, the first one the default.
SWITCHES = {
    "rows_key": ("returnListObject", "returnObject", "data"),
    "id_key": ("campaignId", "id"),
    "total_key": ("totalCount", "total"),
    "ignore_rows_per_page": (False, True),
    "no_retry_form": NO_RETRY_FORMS,
    "unknown_result_codes": ("keep", "refuse"),
    "on_result_delete": ("keep", "drop"),
}
# A seeded campaign's fields and their defaults; "retryPolicy" (the data object of a GET, or null) besides.
FIELDS = {"campaignId": None, "name": None, "description": "", "status": 2, "deviceType": 2,
          "strBeginTime": "", "strEndTime": ""}


def check_switch(key, value):
    choices = SWITCHES.get(key)
    if choices is None:
        raise ValueError("unknown campaign config key: %s (there are: %s)" % (key, ", ".join(sorted(SWITCHES))))
    if not any(type(value) is type(choice) and value == choice for choice in choices):  # pylint: disable=unidiomatic-typecheck
        raise ValueError("%s must be one of %s" % (key, ", ".join(map(str, choices))))
    return value


def _seed_campaign(index, item):
    """(the campaign's fields, its policy) of one admin seeding item."""
    if not isinstance(item, dict):
        raise ValueError("campaigns[%d] must be an object" % index)
    unknown = set(item) - set(FIELDS) - {"retryPolicy"}
    if unknown:
        raise ValueError("campaigns[%d]: unknown fields %s" % (index, ", ".join(sorted(unknown))))
    fields = {key: item.get(key, default) for key, default in FIELDS.items()}
    if not isinstance(fields["campaignId"], str) or not fields["campaignId"] or not isinstance(fields["name"], str):
        raise ValueError("campaigns[%d]: campaignId (non-empty) and name must be strings" % index)
    if any(isinstance(fields[key], bool) or not isinstance(fields[key], int) for key in ("status", "deviceType")):
        raise ValueError("campaigns[%d]: status and deviceType must be integers" % index)
    policy = item.get("retryPolicy")
    if policy is not None and not isinstance(policy, dict):
        raise ValueError("campaigns[%d]: retryPolicy must be an object or null" % index)
    return fields, Seeded(policy)


class Campaigns(Part):
    """The store part: per VDN, its campaigns ({campaignId: [fields, policy]}, in seeding order) and switches."""

    def __init__(self, store):
        Part.__init__(self)
        self._switches = {}
        self._policy_ids = itertools.count(FIRST_POLICY_ID)   # never rewound
        results(store).deleted.append(self._result_deleted)

    def clear(self):
        with self.lock:
            self._vdns = {}
            self._switches = {}

    def _existing(self, vdn_id, campaign_id):
        campaign = self._vdns.get(vdn_id, {}).get(campaign_id)
        if campaign is None:
            raise Rejected(ERR_NO_CAMPAIGN, "campaign %s does not exist" % campaign_id)
        return campaign

    # --- the switches

    def switches(self, vdn_id):
        with self.lock:
            return self._switches_of(vdn_id)

    def _switches_of(self, vdn_id):
        return dict({key: choices[0] for key, choices in SWITCHES.items()}, **self._switches.get(vdn_id, {}))

    def configure(self, vdn_id, changes):
        checked = {key: check_switch(key, value) for key, value in changes.items()}
        with self.lock:
            self._switches.setdefault(vdn_id, {}).update(checked)
            return self._switches_of(vdn_id)

    # --- the API

    def matching(self, vdn_id, status, device_type, name):
        """The fields of the campaigns that pass the list's filters (name: a substring), in seeding order."""
        with self.lock:
            return [dict(fields) for fields, _policy in self._vdns.get(vdn_id, {}).values()
                    if status in (0, fields["status"]) and device_type in (0, fields["deviceType"])
                    and name in fields["name"]]

    def detail(self, vdn_id, campaign_id):
        with self.lock:
            return dict(self._existing(vdn_id, campaign_id)[0])

    def policy_data(self, vdn_id, campaign_id):
        with self.lock:
            return self._existing(vdn_id, campaign_id)[1].data(self._switches_of(vdn_id)["no_retry_form"])

    def set_policy(self, vdn_id, campaign_id, policy_type, document):
        """Replace a campaign's policy; its id and busiPolicy stay (a new id when it had none)."""
        with self.lock:
            campaign = self._existing(vdn_id, campaign_id)
            kept = campaign[1].kept_fields()
            policy_id = kept.pop("retryPolicyId", None) or str(next(self._policy_ids))
            campaign[1] = Stored(policy_id, policy_type, document, kept)

    def _result_deleted(self, vdn_id, code):
        with self.lock:
            if not code or self._switches_of(vdn_id)["on_result_delete"] != "drop":
                return
            for _fields, policy in self._vdns.get(vdn_id, {}).values():
                policy.drop_code(code)

    # --- the admin API

    def seed(self, vdn_id, items):
        """Add campaigns (their policies verbatim); returns their ids."""
        rows = [_seed_campaign(index, item) for index, item in enumerate(items)]
        with self.lock:
            ids = [fields["campaignId"] for fields, _policy in rows]
            taken = [cid for index, cid in enumerate(ids) if cid in self._vdns.get(vdn_id, {}) or cid in ids[:index]]
            if taken:
                raise ValueError("campaignId %s already exists in VDN %d" % (taken[0], vdn_id))
            self._vdns.setdefault(vdn_id, {}).update((fields["campaignId"], [fields, policy]) for fields, policy in rows)
            return ids

    def dump(self, vdn_ids):
        """{str(vdnId): [campaign fields with "retryPolicy": the data object a GET answers]}."""
        with self.lock:
            return {str(vdn_id): [dict(fields, retryPolicy=policy.data(self._switches_of(vdn_id)["no_retry_form"]))
                                  for fields, policy in self._vdns.get(vdn_id, {}).values()] for vdn_id in vdn_ids}

    def remove_vdn(self, vdn_id):
        with self.lock:
            self._vdns.pop(vdn_id, None)


def campaigns(store):
    return store.part(Campaigns)


# ---------------------------------------------------------------- handlers

def _query_int(query, key, default=None):
    text = query.get(key)
    if not text:
        if default is None:
            raise Rejected(ERR_EMPTY, "%s is empty" % key)
        return default
    value = parse_int(text)
    if value is None:
        raise Rejected(ERR_TYPE, "%s must be an integer" % key)
    return value


def list_campaigns(call):
    """The campaign list (GET /{vdnId}): filtered by status, deviceType and a name substring, one page."""
    query = dict(reversed(call.pairs))   # the first value of each name
    status = _query_int(query, "status")
    device_type = _query_int(query, "deviceType")
    if status not in STATUSES or device_type not in DEVICE_TYPES:
        raise Rejected(ERR_VALUE, "status must be one of %s and deviceType one of %s" % (STATUSES, DEVICE_TYPES))
    page = max(1, _query_int(query, "curPage", 1))
    size = _query_int(query, "rowsPerPage", DEFAULT_ROWS)
    if not 1 <= size <= MAX_ROWS:
        raise Rejected(ERR_RANGE, "rowsPerPage must be 1..%d" % MAX_ROWS)
    name = query.get("name", "")
    if len(name) > MAX_NAME:
        raise Rejected(ERR_TOO_LONG, "name is longer than %d characters" % MAX_NAME)
    part = campaigns(call.store)
    layout = part.switches(call.vdn_id)
    if layout["ignore_rows_per_page"]:
        size = DEFAULT_ROWS
    found = part.matching(call.vdn_id, status, device_type, name)
    rows = [{layout["id_key"]: fields["campaignId"], "name": fields["name"], "status": fields["status"],
             "deviceType": fields["deviceType"]} for fields in found[(page - 1) * size:page * size]]
    return success("queryCampaigns", **{layout["total_key"]: len(found), layout["rows_key"]: rows})


def detail(call):
    return success("queryCampaign", returnObject=campaigns(call.store).detail(call.vdn_id, call.params["campaignId"]))
