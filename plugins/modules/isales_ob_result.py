#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: isales_ob_result
short_description: Manage an external result (non-retry policy) of a CC-iSales VDN
version_added: 1.0.0
description:
  - Creates, updates or deletes one I(external result) of a tenant (VDN) on a Huawei CC-iSales server.
    Campaign retry policies name external results by their result code in their C(noRetryPolicy) list.
  - The result is found by O(result_code) when it is given, otherwise by O(display_result).
  - Display texts stay unique on a VDN; the module never creates a second result showing the same text.
  - A result whose display text or OBS codes differ is updated in place. The server does not allow a
    result code to be changed.
  - Writes are never repeated blindly. When a write's outcome is unknown (connection lost, 5xx or
    unreadable answer), the module reads the VDN's results again and writes again only when the
    first write provably did not happen. A create that got no answer in time (a client timeout, or HTTP 504
    from a gateway) may still land on the server; it is never sent again - when reading the VDN again
    (at once, then twice O(timeout) seconds apart) does not show it, the task fails saying that its
    outcome is unknown, and a re-run converges.
  - Overlapping runs (an AWX schedule meeting a manual launch, or hosts that share a VDN) converge on one
    result per display text. After its create, a task reads the VDN again; when another result shows the
    same display text, the one with the lowest defId stays on every run alike, and a task whose own create
    is not that one deletes it and reports the survivor (RV(duplicates_removed)). A VDN that shows
    identical copies of the result (same display text, result code and OBS codes) is read again a few
    times, then reduced to its lowest defId; copies that differ are reported as ambiguous instead.
  - What overlapping runs cannot promise is that no other run ever sees two copies for a moment, or
    anything about runs that ask for different things for one display text (the last writer wins; results
    that differ are never merged).
  - With O(state=absent), a result whose result code a campaign's retry policy names is not deleted (see
    O(check_references)); detach it first with M(huawei.isales.isales_retry_policies).
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
    description: Reads the server's state and predicts C(changed) exactly; never writes.
    support: full
  diff_mode:
    description: Shows the display text, result code and sorted OBS codes before and after.
    support: full
options:
  display_result:
    description:
      - The external result's display text (C(displayResult)).
      - Identifies the result when O(result_code) is not given.
    type: str
    required: true
  obs_codes:
    description:
      - The OBS outbound-call result codes (C(obsCodes)) mapped to this external result.
      - Order and duplicates do not matter. Quote codes such as V('00602') so YAML keeps them as strings.
      - Required when O(state=present).
    type: list
    elements: str
  result_code:
    description:
      - The result definition code (C(resultCode)), 1 to 7 characters. Retry policies refer to it.
      - When given, it identifies the result, and its display text can be changed.
      - It cannot be added to or changed on an existing result; delete and re-create the result instead.
    type: str
  state:
    description:
      - V(present) makes sure the result exists as described; V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  validate_obs_codes:
    description:
      - Read the VDN's OBS code catalogue first and fail, before any write, naming every code of O(obs_codes)
        that is not in it.
      - Costs one more read per 50 codes of the catalogue. Only used with O(state=present).
    type: bool
    default: false
seealso:
  - module: huawei.isales.isales_ob_results
  - module: huawei.isales.isales_retry_policies
  - module: huawei.isales.isales_ob_result_info
  - module: huawei.isales.isales_obs_code_info
  - name: CC-iSales OpenAPI, creating an external result
    description: The vendor's description of the createObResult call.
    link: https://support.huaweicloud.com/intl/en-us/api-cec/cec_07_0797.html
"""

EXAMPLES = r"""
- name: Make sure "no answer" calls are never retried on VDN 12
  huawei.isales.isales_ob_result:
    url: https://isales.example.com:28443
    access_key: "{{ isales_ak }}"
    secret_key: "{{ isales_sk }}"
    ca_path: /etc/pki/isales/ca.pem
    vdn_id: 12
    result_code: "007"
    display_result: "7: The call is not answered."
    obs_codes:
      - "00602"
      - "00606"

- name: Connection options once for every huawei.isales module (env vars ISALES_URL, ... work too)
  module_defaults:
    group/huawei.isales.isales:
      url: https://isales.example.com:28443
      access_key: "{{ isales_ak }}"
      secret_key: "{{ isales_sk }}"
      ca_path: /etc/pki/isales/ca.pem
  block:
    - name: A result without a result code, found by its display text
      huawei.isales.isales_ob_result:
        vdn_id: 12
        display_result: Busy
        obs_codes: ["00603"]

    - name: Use the defId in a later task without register
      ansible.builtin.debug:
        msg: "Busy is external result {{ isales_ob_result.defId }}"

    - name: Remove it
      huawei.isales.isales_ob_result:
        vdn_id: 12
        display_result: Busy
        state: absent
"""

RETURN = r"""
defId:
  description:
    - ID of the external result that was matched, created or deleted.
    - V(null) when check mode would create it, or when O(state=absent) found nothing.
  returned: always
  type: str
  sample: "1645244637"
returnCode:
  description:
    - The C(returnCode) of the last write the task made (V(0200000) is success); of its last read when it
      wrote nothing.
  returned: always
  type: str
  sample: "0200000"
returnDesc:
  description: The C(returnDesc) that goes with RV(returnCode).
  returned: always
  type: str
  sample: "createObResult Success!"
duplicates_removed:
  description:
    - The defIds of the results this task deleted because they were copies of the result it manages, the
      lowest defId staying. Either identical copies it found (same display text, result code and OBS codes,
      as a create that landed late or an earlier race leaves), or its own create when another run created
      the same display text at the same time and got the lower defId.
    - In check mode, the copies that would be deleted.
  returned: always
  type: list
  elements: str
  sample: ["1645244702"]
  version_added: 1.1.0
ob_result:
  description: The external result after the task, V(null) when it does not exist.
  returned: always
  type: dict
  contains:
    defId:
      description: ID of the result; V(null) when check mode would create it.
      type: str
      sample: "1645244637"
    display_result:
      description: The display text.
      type: str
      sample: "7: The call is not answered."
    result_code:
      description: The result code on the server (V(null) when it has none).
      type: str
      sample: "007"
    obs_codes:
      description: The OBS codes, sorted.
      type: list
      elements: str
      sample: ["00602", "00606"]
    vdn_id:
      description: The VDN.
      type: int
      sample: 12
api_requests:
  description: How many API requests the task sent (reads and writes, retries included).
  returned: always
  type: int
  sample: 3
  version_added: 1.1.0
ansible_facts:
  description: Facts for later tasks.
  returned: always
  type: dict
  contains:
    isales_ob_result:
      description: C(defId) and C(returnCode) of this task, as V({{ isales_ob_result.defId }}).
      type: dict
      sample: {"defId": "1645244637", "returnCode": "0200000"}
"""

from ansible_collections.huawei.isales.plugins.module_utils._module import IsalesModule
from ansible_collections.huawei.isales.plugins.module_utils._ob_result import (
    ObResultManager,
    compared,
    public,
    reference_guard,
    validate,
)

OPTIONS = dict(
    display_result=dict(type="str", required=True),
    obs_codes=dict(type="list", elements="str"),
    result_code=dict(type="str"),
    state=dict(type="str", default="present", choices=["present", "absent"]),
    validate_obs_codes=dict(type="bool", default=False),
    check_references=dict(type="bool", default=True),
)


def desired_from(params):
    return dict(
        display_result=params["display_result"],
        result_code=params["result_code"],
        obs_codes=params["obs_codes"] or [],
    )


def run(module):
    """The task's result; raises IsalesError or ResourceError (with what was done before, as `partial`)."""
    params = module.params
    client = module.client()
    if params["validate_obs_codes"] and params["state"] == "present":
        # Imported here: a task that does not ask for the catalogue check does not compile it.
        from ansible_collections.huawei.isales.plugins.module_utils._api_obs_codes import (  # pylint: disable=import-outside-toplevel
            check_obs_codes,
            list_obs_codes,
        )
        check_obs_codes(list_obs_codes(client, params["vdn_id"]), params["obs_codes"], params["vdn_id"])
    guard = None
    if params["check_references"]:
        guard = reference_guard(lambda: module.pool(main=client), params["vdn_id"])
    manager = ObResultManager(client, params["vdn_id"], check_mode=module.check_mode, guard=guard)
    outcome = manager.ensure(desired_from(params), params["state"])
    return_code, return_desc = client.reported_return
    result = dict(
        changed=outcome["changed"],
        defId=outcome["def_id"],
        returnCode=return_code,
        returnDesc=return_desc,
        ob_result=public(outcome["after"]),
        duplicates_removed=outcome["removed"],
        ansible_facts=dict(isales_ob_result=dict(defId=outcome["def_id"], returnCode=return_code)),
    )
    if module._diff:
        result["diff"] = dict(before=compared(outcome["before"]), after=compared(outcome["after"]))
    return result


def main():
    IsalesModule(OPTIONS, validate=validate, workers=True, required_if=[("state", "present", ["obs_codes"])]).run(run)


if __name__ == "__main__":
    main()
