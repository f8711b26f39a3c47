#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: isales_campaign_info
short_description: List the outbound campaigns of a CC-iSales VDN
version_added: 1.1.0
description:
  - Lists the outbound campaigns of a tenant (VDN) on a Huawei CC-iSales server, every page of them (100 a page),
    or one campaign by its id.
  - The list is read to its end even when the server ignores the page size asked for - a short page ends it only
    once the rows read reach the total the server reported; an empty page, or one of campaigns already read, ends
    it too.
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
      - Only this campaign, read with its detail call (1 to 32 letters, digits, C(_) or C(-)).
    type: str
  name:
    description:
      - Only the campaigns with exactly this name (the server's own name filter may match parts of names; the
        module keeps only exact matches).
    type: str
  status:
    description:
      - Only the campaigns in this status.
    type: str
    choices: [all, started, suspended, completed]
    default: all
seealso:
  - module: huawei.isales.isales_retry_policy
  - module: huawei.isales.isales_retry_policy_info
"""

EXAMPLES = r"""
- name: The started campaigns of VDN 12
  huawei.isales.isales_campaign_info:
    vdn_id: 12
    status: started
  register: started

- name: Their ids
  ansible.builtin.debug:
    msg: "{{ started.campaigns | map(attribute='id') | list }}"
"""

RETURN = r"""
campaigns:
  description: The campaigns, in the server's order.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The campaign's id.
      type: str
    name:
      description: The campaign's name.
      type: str
    status:
      description: V(started), V(suspended) or V(completed).
      type: str
    status_code:
      description: The status as the API gives it (2, 3 or 4).
      type: int
    device_type:
      description: The campaign's device type as the API gives it (V(null) when the answer has none).
      type: int
  sample: [{"id": "1001", "name": "Spring renewals", "status": "started", "status_code": 2, "device_type": 2}]
api_requests:
  description: How many API requests the task sent.
  returned: always
  type: int
  sample: 1
"""

from ansible_collections.huawei.isales.plugins.module_utils._api_campaigns import (
    STATUS_CODES,
    campaign_id_problem,
    get_campaign,
    list_campaigns,
)
from ansible_collections.huawei.isales.plugins.module_utils._module import IsalesModule

OPTIONS = dict(
    campaign_id=dict(type="str"),
    name=dict(type="str"),
    status=dict(type="str", default="all", choices=list(STATUS_CODES)),
)


def validate(params):
    problem = params.get("campaign_id") is not None and campaign_id_problem(params["campaign_id"])
    return ["campaign_id %r: %s" % (params["campaign_id"], problem)] if problem else []


def run(module):
    params = module.params
    if params["campaign_id"] is not None:
        found = [get_campaign(module.client(), params["vdn_id"], params["campaign_id"])]
        campaigns = [item for item in found if (params["name"] is None or item["name"] == params["name"])
                     and params["status"] in ("all", item["status"])]
    else:
        pool = module.pool()
        campaigns = list_campaigns(pool.client(), params["vdn_id"], params["status"], params["name"], pool)
    return dict(changed=False, campaigns=campaigns)


def main():
    IsalesModule(OPTIONS, validate=validate, workers=True).run(run)


if __name__ == "__main__":
    main()
