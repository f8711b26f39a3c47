# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A VDN's OBS code catalogue: the list call, the check of its items, and the
questions the modules ask of it (which codes it lacks).

Private module_utils: may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.huawei.isales.plugins.module_utils._client import Call
from ansible_collections.huawei.isales.plugins.module_utils._errors import ResourceError, bad_answer, code_text
from ansible_collections.huawei.isales.plugins.module_utils._paging import ListSpec, read_list


def check_obs_code_item(item, call):
    """One queryOBSResultCode item: {obsCode, obsCodeDesc}."""
    if not isinstance(item, dict):
        raise bad_answer(call, "a list item that is not an object", item)
    desc = item.get("obsCodeDesc")
    if desc is not None and not isinstance(desc, str):
        raise bad_answer(call, "an obsCodeDesc that is not text", desc)
    return {"obsCode": code_text(item.get("obsCode"), call, "obsCode"), "obsCodeDesc": desc}


LIST = ListSpec(Call("obs_code.list", "GET", "/{vdn_id}/queryOBSResultCode"), check_obs_code_item, "obsCode",
                rows_keys=("obsCodes",))


def list_obs_codes(client, vdn_id, pool=None):
    """The VDN's OBS code catalogue: [{obsCode, obsCodeDesc}]; with a pool, pages after the first concurrently."""
    return read_list(client, LIST, {"vdn_id": vdn_id}, pool)


def unknown_obs_codes(catalogue, codes):
    """The codes (sorted, distinct) that the OBS code catalogue (queryOBSResultCode items) lacks."""
    known = set(str(item.get("obsCode")) for item in catalogue if item.get("obsCode") is not None)
    return sorted(set(codes or []) - known)


def check_obs_codes(catalogue, codes, vdn_id):
    """Raise ResourceError naming the codes that are not in the VDN's OBS code catalogue."""
    unknown = unknown_obs_codes(catalogue, codes)
    if unknown:
        raise ResourceError(
            "obs_codes not in the OBS code catalogue of VDN %s: %s. Nothing was written; "
            "huawei.isales.isales_obs_code_info lists the codes the VDN knows."
            % (vdn_id, ", ".join(unknown)), unknown_obs_codes=unknown)


def catalogue_entry(item):
    """One queryOBSResultCode item as the modules return it."""
    code = item.get("obsCode")
    return {"obs_code": None if code is None else str(code), "description": item.get("obsCodeDesc")}
