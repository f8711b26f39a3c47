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
