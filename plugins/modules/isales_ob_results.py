#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: isales_ob_results
short_description: Manage all the external results (non-retry policies) of a CC-iSales VDN at once
version_added: 1.0.0
description:
  - Manages the whole set of I(external results) of a tenant (VDN) on a Huawei CC-iSales server in one task,
    in the style of Ansible resource modules. For one result at a time, see M(huawei.isales.isales_ob_result).
  - Each result in O(config) is found by its O(config[].result_code) when it has one, otherwise by its
    O(config[].display_result), exactly as M(huawei.isales.isales_ob_result) finds it.
  - The task reads the VDN's list of results once (its pages concurrently), then the details (OBS codes) of
    the results it has to compare, concurrently with at most O(max_workers) requests at a time. It reads no
    detail it does not need.
  - Display texts stay unique on the VDN; two entries of O(config) with the same display text or result code
    are refused before any request is sent, and so is an end state in which a created or renamed result would
    show the text of another result.
  - Before the first write, every O(config[].obs_codes) the task will write is checked against the VDN's OBS
    code catalogue (one read per 50 codes), and the creates and updates that need no display text freed by a
    delete are made before the deletes, so that an entry the server refuses stops the task before anything
    is deleted. The results it deletes have their details read first, so RV(deleted) can recreate them.
  - Writes are never repeated blindly. When a write's outcome is unknown (connection lost, 5xx or
    unreadable answer), the module reads the VDN's results again and writes again only when the write
    provably did not happen. A create that got no answer in time (timeout, HTTP 504) is never sent again;
    the task fails saying its outcome is unknown, and a re-run converges.
  - Overlapping runs converge on one result per display text exactly as
    M(huawei.isales.isales_ob_result) does (see there), per result - the lowest defId stays; a task's own
    create that loses is deleted again and reported in RV(duplicates_removed).
  - On a failure the task stops making writes; the writes made so far are returned in RV(created),
    RV(updated) and RV(deleted).
  - With O(state=deleted) or O(state=overridden), every result the task would delete that has a result code is
    checked against the VDN's campaign retry policies before the first write of the task (O(check_references));
    when a no-retry list names one of them, nothing at all is written.
author:
  - huawei.isales contributors (@huawei-isales)
extends_documentation_fragment:
  - huawei.isales.connection
  - huawei.isales.attributes
  - huawei.isales.attributes.vdn
  - huawei.isales.attributes.references
  - huawei.isales.attributes.workers
attributes:
  check_mode:
    description: Reads the server's state and predicts every write and C(changed) exactly; never writes.
    support: full
  diff_mode:
    description:
      - Shows, for each result written, its display text, result code and sorted OBS codes before and after.
      - The results deleted are shown with their OBS codes.
    support: full
options:
  config:
    description:
      - The external results to manage.
      - Each needs O(config[].display_result) or O(config[].result_code) to be found by.
    type: list
    elements: dict
    default: []
    suboptions:
      display_result:
        description:
          - The display text (C(displayResult)).
          - Identifies the result when O(config[].result_code) is not given.
          - Required with O(state=replaced) and O(state=overridden), and to create a result.
        type: str
      obs_codes:
        description:
          - The OBS outbound-call result codes mapped to the result. Order and duplicates do not matter.
            Quote codes such as V('00602') so YAML keeps them as strings.
          - With O(state=merged) they are added to the result's codes; with O(state=replaced) and
            O(state=overridden) they replace them (and are required).
          - Required to create a result; ignored with O(state=deleted).
        type: list
        elements: str
      result_code:
        description:
          - The result definition code (C(resultCode)), 1 to 7 characters. When given, it identifies the result,
            and the display text of an existing result can be changed.
          - It cannot be added to or changed on an existing result.
        type: str
  state:
    description:
      - V(merged) creates the results of O(config) that do not exist and updates the others, adding
        O(config[].obs_codes) to their codes and setting the display texts given. Results not in O(config)
        are left alone.
      - V(replaced) is like V(merged), but each result of O(config) is made exactly as given (its OBS codes are
        replaced). Results not in O(config) are left alone.
      - V(overridden) is like V(replaced), and every other external result of the VDN is deleted. With an empty
        O(config) that deletes every external result of the VDN, and then O(delete_all=true) is required.
      - V(deleted) deletes the results of O(config). With an empty O(config) it deletes every external result
        of the VDN, and then O(delete_all=true) is required as a confirmation.
    type: str
    choices: [merged, replaced, overridden, deleted]
    default: merged
  delete_all:
    description:
      - Confirms that an empty O(config) with O(state=deleted) or O(state=overridden) is meant to delete every
        external result of the VDN.
      - Only allowed with an empty O(config) and O(state=deleted) or O(state=overridden).
    type: bool
    default: false
  write_workers:
    description:
      - How many writes are made at a time, from V(1) to V(32) and at most O(max_workers).
      - V(1) makes the writes one after the other - the updates and creates that need no display text freed by
        a delete, then the deletes, then the updates and creates that take a freed text. With more, the writes
        of each of these steps go concurrently (an update giving up a display text before the one taking it).
    type: int
    default: 1
  validate_obs_codes:
    description:
      - Check every code of O(config) against the VDN's OBS code catalogue even when the task writes nothing
        (the codes it writes are always checked), and fail naming the codes the catalogue lacks.
      - Costs one more read per 50 codes of the catalogue.
    type: bool
    default: false
notes:
  - Requests per run, for a VDN with N results of which the task compares M (the results of O(config) that
    exist) and writes W, are about C(ceil(N/50)) + M + W. Reads run O(max_workers) at a time.
  - A task that deletes results with a result code reads, once for all its deletes, the campaign list (one read
    per 100 campaigns) and one retry policy per campaign (O(check_references)).
seealso:
  - module: huawei.isales.isales_ob_result
  - module: huawei.isales.isales_ob_result_info
  - module: huawei.isales.isales_obs_code_info
"""

EXAMPLES = r"""
- name: The non-retry policies of VDN 12, and only these
  huawei.isales.isales_ob_results:
    url: https://isales.example.com:28443
    access_key: "{{ isales_ak }}"
    secret_key: "{{ isales_sk }}"
    ca_path: /etc/pki/isales/ca.pem
    vdn_id: 12
    state: overridden
    validate_obs_codes: true
    config:
      - result_code: "007"
        display_result: "7: The call is not answered."
        obs_codes: ["00602", "00606"]
      - result_code: "008"
        display_result: "8: Busy"
        obs_codes: ["00603"]
  register: policies

- name: Show what changed
  ansible.builtin.debug:
    msg: "created {{ policies.created | map(attribute='defId') | list }}, deleted {{ policies.deleted | length }}"

- name: Connection options once for every huawei.isales module
  module_defaults:
    group/huawei.isales.isales:
      url: https://isales.example.com:28443
      access_key: "{{ isales_ak }}"
      secret_key: "{{ isales_sk }}"
  block:
    - name: Add an OBS code to two results, leaving their other codes and all other results alone
      huawei.isales.isales_ob_results:
        vdn_id: 12
        state: merged
        config:
          - result_code: "007"
            obs_codes: ["00607"]
          - display_result: Busy
            obs_codes: ["00607"]

    - name: Remove two results
      huawei.isales.isales_ob_results:
        vdn_id: 12
        state: deleted
        config:
          - result_code: "007"
          - display_result: Busy

    - name: Remove every external result of VDN 13
      huawei.isales.isales_ob_results:
        vdn_id: 13
        state: deleted
        delete_all: true
"""

RETURN = r"""
created:
  description:
    - The results created. In check mode, those that would be created; their C(defId) is then V(null).
  returned: always
  type: list
  elements: dict
  sample: [{"defId": "1645244637", "display_result": "8: Busy", "result_code": "008", "obs_codes": ["00603"],
            "vdn_id": 12}]
  contains:
    defId:
      description: ID of the result.
      type: str
    display_result:
      description: The display text.
      type: str
    result_code:
      description: The result code (V(null) when it has none).
      type: str
    obs_codes:
      description: The OBS codes, sorted.
      type: list
      elements: str
    vdn_id:
      description: The VDN.
      type: int
      version_added: 1.1.0
updated:
  description: The results updated (or that would be), as they are after the task. Same keys as RV(created).
  returned: always
  type: list
  elements: dict
  sample: [{"defId": "1645244638", "display_result": "7: No answer", "result_code": "007",
            "obs_codes": ["00602", "00606", "00607"], "vdn_id": 12}]
deleted:
  description:
    - The results deleted (or that would be), as they were, with their OBS codes, so that they can be created
      again. Same keys as RV(created).
  returned: always
  type: list
  elements: dict
  sample: [{"defId": "1645244639", "display_result": "Old", "result_code": null, "obs_codes": ["00601"], "vdn_id": 12}]
duplicates_removed:
  description:
    - The defIds of the results deleted because they were copies of a result of O(config), the lowest defId
      staying. Either identical copies found on the VDN (same display text, result code and OBS codes, as a
      create that landed late or an earlier race leaves), or the task's own create when another run created
      the same display text at the same time and got the lower defId (that result is then reported in
      RV(unchanged) or RV(updated)).
    - In check mode, the copies that would be deleted.
  returned: always
  type: list
  elements: str
  sample: ["1645244702"]
  version_added: 1.1.0
unchanged:
  description:
    - The defIds of the results of O(config) that were already as asked.
    - Only their defIds, to keep the result of a task over thousands of results small;
      M(huawei.isales.isales_ob_result_info) returns them in full.
  returned: always
  type: list
  elements: str
  sample: ["1645244640", "1645244641"]
api_requests:
  description: How many API requests the task sent (reads and writes, retries included).
  returned: always
  type: int
  sample: 23
"""

from ansible_collections.huawei.isales.plugins.module_utils._module import IsalesModule
from ansible_collections.huawei.isales.plugins.module_utils._ob_result import reference_guard
from ansible_collections.huawei.isales.plugins.module_utils._ob_results import (
    STATES,
    BulkRun,
    normalize_config,
    validate_bulk,
)

OPTIONS = dict(
    config=dict(type="list", elements="dict", default=[], options=dict(
        display_result=dict(type="str"),
        obs_codes=dict(type="list", elements="str"),
        result_code=dict(type="str"),
    )),
    state=dict(type="str", default="merged", choices=list(STATES)),
    delete_all=dict(type="bool", default=False),
    write_workers=dict(type="int", default=1),
    validate_obs_codes=dict(type="bool", default=False),
    check_references=dict(type="bool", default=True),
)


def run(module):
    """The task's result; raises IsalesError or ResourceError (with what was done before, as `partial`)."""
    params = module.params
    guard = reference_guard(module.pool, params["vdn_id"]) if params["check_references"] else None
    bulk = BulkRun(module.pool(), params["vdn_id"], check_mode=module.check_mode,
                   write_workers=min(params["write_workers"], params["max_workers"]), guard=guard)
    return bulk.converge(normalize_config(params["config"]), params["state"],
                         validate_obs_codes=params["validate_obs_codes"], diff=module._diff)


def main():
    IsalesModule(OPTIONS, validate=validate_bulk, workers=True).run(run)


if __name__ == "__main__":
    main()
