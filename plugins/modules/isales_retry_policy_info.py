#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: isales_retry_policy_info
short_description: Read the retry policies of CC-iSales campaigns, and which external results they name
version_added: 1.1.0
description:
  - Reads the retry policy of one campaign (O(campaign_id) or O(campaign_name)), or of every campaign of the VDN,
    with the external results its no-retry list names and the codes that no external result has any more.
  - The policies of every campaign are read concurrently, at most O(max_workers) at a time. A campaign that
    vanished between the list and its read is left out with a warning; any other failure fails the task.
  - Never changes anything.
author:
  - huawei.isales contributors (@huawei-isales)
extends_documentation_fragment:
  - huawei.isales.connection
  - huawei.isales.attributes
  - huawei.isales.attributes.vdn
  - huawei.isales.attributes.info_module
  - huawei.isales.attributes.workers
options:
  campaign_id:
    description:
      - Only this campaign (1 to 32 letters, digits, C(_) or C(-)). At most one of O(campaign_id) and
        O(campaign_name); with neither, every campaign of the VDN.
    type: str
  campaign_name:
    description:
      - Only the campaign with exactly this name; it must match exactly one campaign.
    type: str
seealso:
  - module: huawei.isales.isales_retry_policy
  - module: huawei.isales.isales_campaign_info
"""

EXAMPLES = r"""
- name: Which campaigns of VDN 12 never retry which results
  huawei.isales.isales_retry_policy_info:
    vdn_id: 12
  register: policies

- name: Campaigns whose no-retry list names a result that is gone
  ansible.builtin.debug:
    msg: "{{ policies.retry_policies | selectattr('dangling_result_codes') | map(attribute='campaign_name') | list }}"
"""

RETURN = r"""
retry_policies:
  description: One entry per campaign read.
  returned: always
  type: list
  elements: dict
  contains:
    campaign_id:
      description: The campaign's id.
      type: str
    campaign_name:
      description: The campaign's name.
      type: str
    campaign_status:
      description: V(started), V(suspended) or V(completed).
      type: str
    retry_policy:
      description:
        - The policy, in the shape of RV(huawei.isales.isales_retry_policy#module:retry_policy); a campaign without
          a policy shows an empty global one, and C(exists) says which.
      type: dict
    dangling_result_codes:
      description: The codes of the no-retry list that no external result of the VDN has.
      type: list
      elements: str
  sample: [{"campaign_id": "1001", "campaign_name": "Spring renewals", "campaign_status": "started",
            "retry_policy": {"policy_type": "global", "exists": true, "strategy": "common", "retry_days": 3,
                             "retry_times_per_day": 2, "result_policies": [], "no_retry_result_codes": ["007"],
                             "no_retry_results": [{"result_code": "007", "display_result": "Do not call",
                                                   "defId": "1645244637"}]},
            "dangling_result_codes": []}]
api_requests:
  description: How many API requests the task sent.
  returned: always
  type: int
  sample: 4
"""

from ansible_collections.huawei.isales.plugins.module_utils._api_campaigns import (
    CODE_NO_CAMPAIGN,
    find_campaign,
    list_campaigns,
)
from ansible_collections.huawei.isales.plugins.module_utils._api_ob_results import list_results
from ansible_collections.huawei.isales.plugins.module_utils._api_retry_policies import get_policy
from ansible_collections.huawei.isales.plugins.module_utils._errors import KIND_API, IsalesError
from ansible_collections.huawei.isales.plugins.module_utils._module import IsalesModule
from ansible_collections.huawei.isales.plugins.module_utils._retry_policy import (
    CAMPAIGN_OPTIONS,
    campaign_problems,
    dangling,
    read_policy,
    view,
)

OPTIONS = dict(CAMPAIGN_OPTIONS)
GONE = object()


def run(module):
    params = module.params
    vdn_id = params["vdn_id"]
    pool = module.pool()
    client = pool.client()
    if params["campaign_id"] is not None or params["campaign_name"] is not None:
        campaigns = [find_campaign(client, vdn_id, params["campaign_id"], params["campaign_name"])]
    else:
        campaigns = list_campaigns(client, vdn_id, pool=pool)
    results = list_results(client, vdn_id, pool)

    def read(worker, campaign):
        try:
            data, call = get_policy(worker, vdn_id, campaign["id"])
        except IsalesError as err:
            if err.kind == KIND_API and err.return_code == CODE_NO_CAMPAIGN and len(campaigns) > 1:
                return GONE
            raise
        return read_policy(data, call)

    out = []
    for campaign, policy in zip(campaigns, pool.map(read, campaigns)):
        if policy is GONE:
            module.warn("campaign %s (%s) vanished between the list and its read; it is left out"
                        % (campaign["id"], campaign["name"]))
            continue
        for warning in policy.warnings:
            module.warn("campaign %s: %s" % (campaign["id"], warning))
        out.append(dict(campaign_id=campaign["id"], campaign_name=campaign["name"],
                        campaign_status=campaign["status"],
                        retry_policy=dict(view(policy, results), exists=policy.exists),
                        dangling_result_codes=dangling(policy, results)))
    return dict(changed=False, retry_policies=out)


def main():
    IsalesModule(OPTIONS, validate=campaign_problems, workers=True,
                 mutually_exclusive=[("campaign_id", "campaign_name")]).run(run)


if __name__ == "__main__":
    main()
