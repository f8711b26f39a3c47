# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which campaigns' retry policies name which result codes: the reference guard on deletes, and usage.

Deleting an external result whose result code a campaign's no-retry list names
either leaves a dangling code in the policy or makes the server drop it; either
way numbers that must never be called again can be called. The guard reads
every campaign of the VDN (one list, any status) and each one's policy (one
read per campaign, in parallel on the pool), and refuses the delete when a
policy names the code. A campaign that vanished between the list and its
policy read is left out; any other read failure refuses the delete, naming
the campaign. Only results with a result code need the check.

Private module_utils: may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.huawei.isales.plugins.module_utils._api_campaigns import list_campaigns, vanished
from ansible_collections.huawei.isales.plugins.module_utils._api_retry_policies import get_policy
from ansible_collections.huawei.isales.plugins.module_utils._errors import IsalesError, ResourceError
from ansible_collections.huawei.isales.plugins.module_utils._retry_policy import read_policy


def named(campaign):
    """A campaign as the modules report it in a reference: {campaign_id, campaign_name, campaign_status}."""
    return {"campaign_id": campaign["id"], "campaign_name": campaign["name"], "campaign_status": campaign["status"]}


def label(campaign):
    """"1001 (Spring renewals, started)"."""
    return "%s (%s, %s)" % (campaign["id"], campaign["name"], campaign["status"])


def scan(pool, vdn_id):
    """[(campaign, Policy)] of every campaign of the VDN, whatever its status; a campaign that vanished
    between the list and its policy read is left out. IsalesError naming the campaign whose policy could
    not be read (or that could not be made sense of)."""
    campaigns = list_campaigns(pool.client(), vdn_id, pool=pool)

    def read(client, campaign):
        try:
            data, call = get_policy(client, vdn_id, campaign["id"])
            return read_policy(data, call)
        except IsalesError as err:
            if vanished(err):
                return None
            err.reword("the retry policy of campaign %s could not be read: %s" % (label(campaign), err.msg))
            raise
    return [(campaign, policy) for campaign, policy in zip(campaigns, pool.map(read, campaigns))
            if policy is not None]


def usage(scanned):
    """{result code: [named(campaign), ...]} of the campaigns whose no-retry list names it, in list order."""
    used = {}
    for campaign, policy in scanned:
        for code in policy.codes:
            used.setdefault(code, []).append(named(campaign))
    return used


def check_deletes(pool, vdn_id, doomed):
    """Refuse (ResourceError, or the IsalesError of a campaign that could not be read) deleting any of
    doomed (result states: defId, display_result, result_code) whose result code a campaign's retry policy
    names. Nothing is read when none of them has a result code."""
    coded = [state for state in doomed if state.get("result_code")]
    if not coded:
        return
    try:
        used = usage(scan(pool, vdn_id))
    except IsalesError as err:
        err.reword("before deleting an external result that has a result code, the module checks that no "
                   "campaign's retry policy names it, and that check failed, so nothing was deleted: %s. The check "
                   "needs read access to campaigns and retry policies; check_references: false deletes without it"
                   % err.msg.rstrip("."))
        raise
    blocked = [dict(defId=state["defId"], display_result=state["display_result"], result_code=state["result_code"],
                    used_by=used[state["result_code"]]) for state in coded if state["result_code"] in used]
    if not blocked:
        return
    one = len(blocked) == 1
    raise ResourceError(
        "refusing to delete: %s. Deleting %s would let numbers that must never be called again be called. Nothing "
        "was deleted. Detach the %s first (huawei.isales.isales_retry_policies with state: absent), or set "
        "check_references: false to delete anyway"
        % ("; ".join(_reference_text(item) for item in blocked), "it" if one else "them", "code" if one else "codes"),
        vdn_id=vdn_id, referenced=blocked)


def _reference_text(item):
    """"the no-retry list of campaign 1001 (Spring renewals, started) names the result code '007' of ..."."""
    several = len(item["used_by"]) > 1
    campaigns = ", ".join("%s (%s, %s)" % (ref["campaign_id"], ref["campaign_name"], ref["campaign_status"])
                          for ref in item["used_by"])
    return "the no-retry %s %s %s the result code %r of the external result %r (defId %s)" % (
        "lists of campaigns" if several else "list of campaign", campaigns, "name" if several else "names",
        item["result_code"], item["display_result"], item["defId"])
