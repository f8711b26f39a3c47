# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Every module of the collection: the action group of meta/runtime.yml.
    DOCUMENTATION = r"""
options: {}
attributes:
  action_group:
    description: Use C(group/huawei.isales.isales) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - huawei.isales.isales
"""

    # The modules that only read.
    INFO_MODULE = r"""
options: {}
attributes:
  check_mode:
    description: Runs normally in check mode; it only reads.
    support: full
  diff_mode:
    description: It changes nothing, so it has nothing to show.
    support: N/A
"""

    # Every module works on one VDN (tenant).
    VDN = r"""
options:
  vdn_id:
    description:
      - ID of the VDN (tenant), from V(1) to V(9999).
    type: int
    required: true
"""

    # The modules that read concurrently; mirrors WORKERS_ARGUMENT_SPEC in plugins/module_utils/_common.py.
    WORKERS = r"""
options:
  max_workers:
    description:
      - How many reads (pages of a list, details of results) are sent at a time, from V(1) to V(32).
      - Each worker opens its own connection to the server.
    type: int
    default: 8
"""

    # The modules that work on one campaign; mirrors CAMPAIGN_OPTIONS in plugins/module_utils/_retry_policy.py.
    CAMPAIGN = r"""
options:
  campaign_id:
    description:
      - The campaign's id (1 to 32 letters, digits, C(_) or C(-)).
      - Exactly one of O(campaign_id) and O(campaign_name) is required.
    type: str
  campaign_name:
    description:
      - The campaign's name, matched exactly (the server's own name filter may match parts of names; the module
        keeps only exact matches). It must match exactly one campaign; otherwise the task fails, listing each
        match's id and status.
    type: str
"""

    # The modules that manage no-retry lists; mirrors NO_RETRY_OPTIONS in plugins/module_utils/_retry_policy.py.
    NO_RETRY = r"""
options:
  no_retry_result_codes:
    description:
      - Result codes (C(resultCode) of the VDN's external results) for the no-retry list. Quote codes such as
        V('007') - YAML reads an unquoted 007 as the number 7, which the module refuses.
      - With O(state=present), each must belong to an external result of the VDN; with O(state=absent) it need not
        (that is how a code whose result is gone is removed).
      - At least one of O(no_retry_result_codes) and O(no_retry_display_results) is required.
    type: list
    elements: str
  no_retry_display_results:
    description:
      - Display texts of the VDN's external results, resolved to their result codes. A text that no result shows,
        or whose result has no result code, fails the task before any write.
    type: list
    elements: str
  state:
    description:
      - V(present) puts the listed results in the no-retry list; V(absent) takes them out.
      - With V(absent), no other part of the policy may be given.
    type: str
    choices: [present, absent]
    default: present
  purge:
    description:
      - With O(state=present), make the no-retry list exactly the listed results; without it, the listed ones are
        added and the others stay.
      - An empty list with O(purge=true) clears the no-retry list.
    type: bool
    default: false
"""

    # The modules that delete external results; mirrors the check_references option of their argument specs.
    REFERENCES = r"""
options:
  check_references:
    description:
      - Before deleting an external result that has a result code, read every campaign of the VDN (one list, any
        status) and its retry policy (one read per campaign, O(max_workers) at a time), and refuse the delete,
        before any write, when a campaign's no-retry list names the code. The message names the code and each
        campaign (id, name, status). A result without a result code is deleted with no extra reads.
      - A campaign that vanished between the list and its policy read is left out; any other failure to read a
        campaign or its policy refuses the delete, naming the campaign.
      - This needs read access to campaigns and retry policies. Set V(false) to skip the check - for an access
        key that cannot read campaigns, or when deleting a result that policies name is intended. The server
        then either keeps the code in those policies, where it matches nothing, or drops it from them; either
        way the numbers those campaigns must never call again may be called.
      - What the check cannot close is a campaign that adds the code between the check and the delete.
    type: bool
    default: true
    version_added: 1.1.0
"""
