#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: isales_obs_code_info
short_description: List the OBS code catalogue of a CC-iSales VDN
version_added: 1.0.0
description:
  - Lists the OBS outbound-call result codes of a tenant (VDN) on a Huawei CC-iSales server, with their
    descriptions. These are the values the C(obs_codes) of an external result may take
    (see M(huawei.isales.isales_ob_result) and M(huawei.isales.isales_ob_results)).
  - Reads the catalogue's pages concurrently. Never changes anything.
author:
  - huawei.isales contributors (@huawei-isales)
extends_documentation_fragment:
  - huawei.isales.connection
  - huawei.isales.attributes
  - huawei.isales.attributes.vdn
  - huawei.isales.attributes.info_module
  - huawei.isales.attributes.workers
options:
  obs_codes:
    description:
      - Only these codes. Codes asked for that the catalogue lacks are returned in RV(unknown_obs_codes).
    type: list
    elements: str
seealso:
  - module: huawei.isales.isales_ob_result
  - module: huawei.isales.isales_ob_results
"""

EXAMPLES = r"""
- name: The OBS code catalogue of VDN 12
  huawei.isales.isales_obs_code_info:
    url: https://isales.example.com:28443
    access_key: "{{ isales_ak }}"
    secret_key: "{{ isales_sk }}"
    ca_path: /etc/pki/isales/ca.pem
    vdn_id: 12
  register: catalogue

- name: Show the codes and what they mean
  ansible.builtin.debug:
    msg: "{{ catalogue.obs_codes | items2dict(key_name='obs_code', value_name='description') }}"

- name: Check a list of codes before using it
  huawei.isales.isales_obs_code_info:
    url: https://isales.example.com:28443
    access_key: "{{ isales_ak }}"
    secret_key: "{{ isales_sk }}"
    vdn_id: 12
    obs_codes: ["00602", "00606"]
  register: wanted
  failed_when: wanted.unknown_obs_codes | length > 0
"""

RETURN = r"""
obs_codes:
  description: The OBS codes of the catalogue (only those asked for, with O(obs_codes)), in the server's order.
  returned: always
  type: list
  elements: dict
  sample: [{"obs_code": "00601", "description": "Busy"}, {"obs_code": "00602", "description": "No answer"}]
  contains:
    obs_code:
      description: The code.
      type: str
    description:
      description: What it means (C(obsCodeDesc)).
      type: str
unknown_obs_codes:
  description: The codes of O(obs_codes) that the catalogue lacks, sorted; empty without O(obs_codes).
  returned: always
  type: list
  elements: str
  sample: ["09999"]
total:
  description: How many codes the catalogue has.
  returned: always
  type: int
  sample: 60
api_requests:
  description: How many API requests the task sent.
  returned: always
  type: int
  sample: 2
"""

from ansible_collections.huawei.isales.plugins.module_utils._api_obs_codes import (
    catalogue_entry,
    list_obs_codes,
    unknown_obs_codes,
)
from ansible_collections.huawei.isales.plugins.module_utils._module import IsalesModule

OPTIONS = dict(
    obs_codes=dict(type="list", elements="str"),
)


def run(module):
    params = module.params
    pool = module.pool()
    catalogue = list_obs_codes(pool.client(), params["vdn_id"], pool)
    wanted = params["obs_codes"]
    entries = [catalogue_entry(item) for item in catalogue]
    unknown = []
    if wanted is not None:
        asked = set(wanted)
        entries = [entry for entry in entries if entry["obs_code"] in asked]
        unknown = unknown_obs_codes(catalogue, wanted)
    return dict(changed=False, obs_codes=entries, unknown_obs_codes=unknown, total=len(catalogue))


def main():
    IsalesModule(OPTIONS, workers=True).run(run)


if __name__ == "__main__":
    main()
