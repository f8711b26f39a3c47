#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: isales_ob_result_info
short_description: List the external results (non-retry policies) of a CC-iSales VDN
version_added: 1.0.0
description:
  - Lists the I(external results) of a tenant (VDN) on a Huawei CC-iSales server, with their OBS codes.
  - Reads the VDN's list of results (its pages concurrently), keeps the results that match the filters
    O(display_result) and O(result_code), and reads the detail (OBS codes) of each result kept, concurrently
    with at most O(max_workers) requests at a time.
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
  display_result:
    description:
      - Only the results with exactly this display text.
    type: str
  result_code:
    description:
      - Only the result with this result code.
    type: str
  include_obs_codes:
    description:
      - Whether to read each result's detail to return its OBS codes (one request per result kept).
      - V(false) returns what the list call gives (one request per 50 results); RV(ob_results[].obs_codes) is
        then V(null).
      - Called C(obs_codes) before version 1.1.0; in this collection, C(obs_codes) is always a list of OBS codes.
    type: bool
    default: true
    version_added: 1.1.0
  include_usage:
    description:
      - Whether to return, for each result, the campaigns whose retry policy names its result code in the no-retry
        list (RV(ob_results[].used_by)).
      - Reads every campaign of the VDN (one request per 100 campaigns, any status) and its retry policy (one
        request per campaign, O(max_workers) at a time), once for all the results kept - only when one of them
        has a result code. A campaign that vanished between the list and its policy read is left out; a
        campaign or policy that cannot be read fails the task, naming the campaign.
    type: bool
    default: false
    version_added: 1.1.0
seealso:
  - module: huawei.isales.isales_ob_result
  - module: huawei.isales.isales_ob_results
  - module: huawei.isales.isales_obs_code_info
"""

EXAMPLES = r"""
- name: Every external result of VDN 12, with its OBS codes
  huawei.isales.isales_ob_result_info:
    url: https://isales.example.com:28443
    access_key: "{{ isales_ak }}"
    secret_key: "{{ isales_sk }}"
    ca_path: /etc/pki/isales/ca.pem
    vdn_id: 12
  register: vdn12

- name: Show the result codes that retry policies may name
  ansible.builtin.debug:
    msg: "{{ vdn12.ob_results | map(attribute='result_code') | select | list }}"

- name: One result, found by its result code
  huawei.isales.isales_ob_result_info:
    url: https://isales.example.com:28443
    access_key: "{{ isales_ak }}"
    secret_key: "{{ isales_sk }}"
    vdn_id: 12
    result_code: "007"
  register: no_answer

- name: Which campaigns never retry a number after each result
  huawei.isales.isales_ob_result_info:
    vdn_id: 12
    include_usage: true
  register: usage

- name: The results no campaign names (safe to delete)
  ansible.builtin.debug:
    msg: "{{ usage.ob_results | rejectattr('used_by') | map(attribute='display_result') | list }}"

- name: Just the list, without the OBS codes (one request per 50 results)
  huawei.isales.isales_ob_result_info:
    url: https://isales.example.com:28443
    access_key: "{{ isales_ak }}"
    secret_key: "{{ isales_sk }}"
    vdn_id: 12
    include_obs_codes: false
"""

RETURN = r"""
ob_results:
  description: The external results that match the filters, in the server's order.
  returned: always
  type: list
  elements: dict
  sample: [{"defId": "1645244637", "display_result": "7: The call is not answered.", "result_code": "007",
            "obs_codes": ["00602", "00606"], "vdn_id": 12}]
  contains:
    defId:
      description: ID of the result.
      type: str
    display_result:
      description: The display text.
      type: str
    result_code:
      description: The result code, V(null) when it has none.
      type: str
    obs_codes:
      description: The OBS codes, sorted; V(null) with O(include_obs_codes=false).
      type: list
      elements: str
    vdn_id:
      description: The VDN.
      type: int
    used_by:
      description:
        - The campaigns whose retry policy names the result's code in its no-retry list, in the order of the
          campaign list; empty for a result without a result code. Deleting such a result is refused (see
          M(huawei.isales.isales_ob_result)'s O(huawei.isales.isales_ob_result#module:check_references)).
      returned: with O(include_usage=true)
      type: list
      elements: dict
      version_added: 1.1.0
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
      sample: [{"campaign_id": "1001", "campaign_name": "Spring renewals", "campaign_status": "started"}]
total:
  description: How many external results the VDN has, filters not applied.
  returned: always
  type: int
  sample: 42
api_requests:
  description: How many API requests the task sent.
  returned: always
  type: int
  sample: 3
"""

from ansible_collections.huawei.isales.plugins.module_utils import _api_ob_results as api
from ansible_collections.huawei.isales.plugins.module_utils._module import IsalesModule
from ansible_collections.huawei.isales.plugins.module_utils._ob_result import (
    public,
    state_from_detail,
    state_from_listed,
    validate_fields,
)

OPTIONS = dict(
    display_result=dict(type="str"),
    result_code=dict(type="str"),
    include_obs_codes=dict(type="bool", default=True),
    include_usage=dict(type="bool", default=False),
)


def validate_info(params):
    return validate_fields(dict(params, obs_codes=None), require_display=False)


def selected(listing, display_result=None, result_code=None):
    """The listed results that pass the filters."""
    out = []
    for item in listing:
        if display_result is not None and item["displayResult"] != display_result:
            continue
        if result_code is not None and (item["resultCode"] or None) != result_code:
            continue
        out.append(item)
    return out


def run(module):
    params = module.params
    vdn_id = params["vdn_id"]
    pool = module.pool()
    listing = api.list_results(pool.client(), vdn_id, pool)
    kept = selected(listing, params["display_result"], params["result_code"])
    if params["include_obs_codes"]:
        def read(worker, item):
            return state_from_detail(api.get_result(worker, vdn_id, item["defId"]), vdn_id)
        states = pool.map(read, kept)
    else:
        states = [state_from_listed(item, vdn_id) for item in kept]
    out = [public(state) for state in states]
    if params["include_usage"]:
        used = {}
        if any(state["result_code"] for state in states):
            # Imported here: only a task that asks for usage compiles the campaign and policy calls.
            from ansible_collections.huawei.isales.plugins.module_utils._references import (  # pylint: disable=import-outside-toplevel
                scan,
                usage,
            )
            used = usage(scan(pool, vdn_id))
        for item in out:
            item["used_by"] = list(used.get(item["result_code"], [])) if item["result_code"] else []
    return dict(changed=False, ob_results=out, total=len(listing))


def main():
    IsalesModule(OPTIONS, validate=validate_info, workers=True).run(run)


if __name__ == "__main__":
    main()
