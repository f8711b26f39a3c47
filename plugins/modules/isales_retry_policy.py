#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: isales_retry_policy
short_description: Attach external results to a campaign's retry policy (its no-retry list) on CC-iSales
version_added: 1.1.0
description:
  - Manages the retry policy of one outbound campaign of a VDN on a Huawei CC-iSales server, above all its
    no-retry list (C(noRetryPolicy)) - the result codes of the external results after which a number is never
    called again.
  - The campaign is named by O(campaign_id) or by O(campaign_name), which must match exactly one campaign.
  - Reads the campaign, the VDN's external results and the policy, and writes only when the policy differs from
    what the task declares. A write sends the whole document - every key the module does not manage
    (C(dataType), C(busiPolicy), keys it does not know, codes already in the list) is carried over as read,
    C(policy) stays JSON text or an array as it was read, and everything is written as strict JSON.
  - Every write is read back. When the declared change is missing, another writer replaced the document; the
    module plans again from what it read and writes again, at most 3 times. A read-back equal to the document
    before the write means that the server ignored the write, and the task says so. Then the policy is read once
    more after a short random pause; see R(overlapping runs,ansible_collections.huawei.isales.docsite.retry_policies)
    for what this promises.
  - A write whose outcome is unknown (connection lost, timeout, 5xx, unreadable answer) is settled by reading the
    policy again, never sent again blindly.
  - A campaign without a policy is taken as an empty global policy; the first write sends only what the task
    declares. A number-type policy (C(policyType) 1) cannot carry no-retry results; any change to one is refused
    before any write.
author:
  - huawei.isales contributors (@huawei-isales)
extends_documentation_fragment:
  - huawei.isales.connection
  - huawei.isales.attributes
  - huawei.isales.attributes.vdn
  - huawei.isales.attributes.campaign
  - huawei.isales.attributes.no_retry
attributes:
  check_mode:
    description: Reads the campaign, the results and the policy, and predicts C(changed) exactly; never writes.
    support: full
  diff_mode:
    description: Shows the policy (RV(retry_policy)'s shape) before and after.
    support: full
options:
  strategy:
    description:
      - The retry logic (the policy's C(type)) - V(common) retries every unanswered number alike (O(retry_days),
        O(retry_times_per_day)); V(result) retries by outbound result (O(result_policies)).
    type: str
    choices: [common, result]
  retry_days:
    description:
      - Days on which calls are attempted (C(retryDay)), written where the policy holds it (top level, or inside
        C(policy) in the newer layout).
    type: int
  retry_times_per_day:
    description:
      - Attempts per day (C(retryTimes)), written where the policy holds it.
    type: int
  result_policies:
    description:
      - The result-based entries of the policy, exactly these when given.
    type: list
    elements: dict
    suboptions:
      result:
        description: The outbound result (an integer code of the platform).
        type: int
        required: true
      retry_number:
        description: How many times a number with this result is retried (C(retryNumber)).
        type: int
        required: true
      call_interval:
        description: Seconds between the attempts (C(callInterval)).
        type: int
        required: true
seealso:
  - module: huawei.isales.isales_retry_policy_info
  - module: huawei.isales.isales_campaign_info
  - module: huawei.isales.isales_ob_result
  - name: CC-iSales OpenAPI, setting a campaign's retry policy
    description: The vendor's description of the retryPolicy calls.
    link: https://support.huaweicloud.com/intl/en-us/api-cec/cec_07_4010.html
"""

EXAMPLES = r"""
- name: Never call again a number whose call ended in "Do not call" (campaign found by its name)
  huawei.isales.isales_retry_policy:
    vdn_id: 12
    campaign_name: Spring renewals
    no_retry_display_results:
      - "Do not call"

- name: The no-retry list of campaign 1001 is exactly these result codes
  huawei.isales.isales_retry_policy:
    vdn_id: 12
    campaign_id: "1001"
    no_retry_result_codes: ["007", "012"]
    purge: true

- name: Detach a result (for instance before deleting it)
  huawei.isales.isales_retry_policy:
    vdn_id: 12
    campaign_id: "1001"
    no_retry_result_codes: ["012"]
    state: absent
"""

RETURN = r"""
campaign_id:
  description: The campaign's id.
  returned: always
  type: str
  sample: "1001"
campaign_name:
  description: The campaign's name.
  returned: always
  type: str
  sample: Spring renewals
returnCode:
  description: The vendor's return code of the task's last write, or of its last read when it wrote nothing.
  returned: always
  type: str
  sample: "0200000"
retry_policy:
  description: The policy after the task (as planned, in check mode).
  returned: always
  type: dict
  contains:
    policy_type:
      description: V(global) (C(policyType) 0) or V(number_type) (1).
      type: str
    strategy:
      description: V(common), V(result), or V(null) when the policy does not say.
      type: str
    retry_days:
      description: C(retryDay).
      type: int
    retry_times_per_day:
      description: C(retryTimes).
      type: int
    result_policies:
      description: The result-based entries, as C({result, retry_number, call_interval}).
      type: list
      elements: dict
    no_retry_result_codes:
      description: The no-retry list, sorted.
      type: list
      elements: str
    no_retry_results:
      description: The no-retry list with the external result of each code (V(null) for a code no result has).
      type: list
      elements: dict
    entries:
      description: A number-type policy's entries, as read.
      type: list
      elements: dict
  sample: {"policy_type": "global", "strategy": "common", "retry_days": 3, "retry_times_per_day": 2,
           "result_policies": [], "no_retry_result_codes": ["007"],
           "no_retry_results": [{"result_code": "007", "display_result": "Do not call", "defId": "1645244637"}]}
api_requests:
  description: How many API requests the task sent (reads and writes, retries included).
  returned: always
  type: int
  sample: 3
"""

from ansible_collections.huawei.isales.plugins.module_utils._api_campaigns import find_campaign
from ansible_collections.huawei.isales.plugins.module_utils._api_ob_results import list_results
from ansible_collections.huawei.isales.plugins.module_utils._api_retry_policies import get_policy
from ansible_collections.huawei.isales.plugins.module_utils._module import IsalesModule
from ansible_collections.huawei.isales.plugins.module_utils._retry_policy import (
    CAMPAIGN_OPTIONS,
    NO_RETRY_OPTIONS,
    dangling,
    declared,
    planned,
    read_policy,
    validate,
    view,
)

OPTIONS = dict(CAMPAIGN_OPTIONS, **NO_RETRY_OPTIONS)
OPTIONS.update(
    strategy=dict(type="str", choices=["common", "result"]),
    retry_days=dict(type="int"),
    retry_times_per_day=dict(type="int"),
    result_policies=dict(type="list", elements="dict", options=dict(
        result=dict(type="int", required=True),
        retry_number=dict(type="int", required=True),
        call_interval=dict(type="int", required=True),
    )),
)


def run(module):
    params = module.params
    vdn_id = params["vdn_id"]
    client = module.client()
    campaign = find_campaign(client, vdn_id, params["campaign_id"], params["campaign_name"])
    results = list_results(client, vdn_id)
    want = declared(params, results)
    data, call = get_policy(client, vdn_id, campaign["id"])
    before = read_policy(data, call)
    for warning in before.warnings:
        module.warn("campaign %s: %s" % (campaign["id"], warning))
    gone = dangling(before, results)
    if gone:
        module.warn("campaign %s's no-retry list names result codes no external result of VDN %s has: %s; they "
                    "are kept" % (campaign["id"], vdn_id, ", ".join(gone)))
    after = before
    if planned(before, want, campaign) is not before:
        # Imported here: a task that changes nothing does not compile the writer.
        from ansible_collections.huawei.isales.plugins.module_utils._retry_policy_writer import (  # pylint: disable=import-outside-toplevel
            PolicyWriter,
        )
        after = PolicyWriter(client, vdn_id, campaign, check_mode=module.check_mode).converge(before, want)
    result = dict(changed=view(before) != view(after), campaign_id=campaign["id"], campaign_name=campaign["name"],
                  returnCode=client.reported_return[0], retry_policy=view(after, results))
    if module._diff:
        result["diff"] = dict(before=view(before, results), after=view(after, results))
    return result


def main():
    IsalesModule(OPTIONS, validate=validate, mutually_exclusive=[("campaign_id", "campaign_name")],
                 required_one_of=[("campaign_id", "campaign_name")]).run(run)


if __name__ == "__main__":
    main()
