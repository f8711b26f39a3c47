# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OBS codes: each VDN's catalogue (queryOBSResultCode), generated unless the admin API replaced it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from sim_resources.common import Part, page_params, reported_total, success

_OBS_NAMES = (
    "Busy", "No answer", "Rejected by the callee", "Power off", "Out of the service area",
    "Number does not exist", "Call forwarded", "Network busy", "Line fault", "Fax or modem tone",
    "Answering machine", "Call restricted", "Number changed", "Callee hung up while ringing",
    "Invalid number format", "Overdue account", "Ring timeout", "Connected", "Abandoned", "Blacklisted",
)


def default_catalogue(count):
    """The generated OBS code catalogue every VDN starts with: 00601, 00602, ..."""
    out = []
    for index in range(count):
        code = "%05d" % (601 + index)
        desc = _OBS_NAMES[index] if index < len(_OBS_NAMES) else "Outbound call result %s" % code
        out.append({"obsCode": code, "obsCodeDesc": desc})
    return out


class Catalogues(Part):
    """The store part: the catalogues that replace the default one, per VDN (vdnId -> (catalogue, its codes))."""

    def __init__(self, store):
        Part.__init__(self)
        given = store.settings.get("default_catalogue")   # [{obsCode, obsCodeDesc}], else the generated one
        self.default = given if given is not None else default_catalogue(store.settings["default_obs_codes"])
        self.default_known = frozenset(item["obsCode"] for item in self.default)

    def _get(self, vdn_id):
        return self._vdns.get(vdn_id, (self.default, self.default_known))

    def known(self, vdn_id):
        """The codes of a VDN's catalogue (a frozenset)."""
        with self.lock:
            return self._get(vdn_id)[1]

    def page(self, vdn_id, size, num):
        """(totalCount, the items of page num)."""
        with self.lock:
            catalogue = self._get(vdn_id)[0]
            return len(catalogue), [dict(item) for item in catalogue[(num - 1) * size:num * size]]

    def catalogue(self, vdn_id):
        with self.lock:
            return [dict(item) for item in self._get(vdn_id)[0]]

    def replace(self, vdn_id, items):
        """The admin API's PUT /__sim/obs-codes: a VDN's catalogue; returns its size."""
        catalogue = []
        for index, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("obsCode"), str) or not item["obsCode"]:
                raise ValueError("obsCodes[%d] must be an object with a non-empty obsCode" % index)
            catalogue.append({"obsCode": item["obsCode"], "obsCodeDesc": str(item.get("obsCodeDesc", ""))})
        with self.lock:
            self._vdns[vdn_id] = (catalogue, frozenset(item["obsCode"] for item in catalogue))
        return len(catalogue)


def catalogues(store):
    return store.part(Catalogues)


# ---------------------------------------------------------------- handlers

def list_codes(call):
    """queryOBSResultCode: a page of the VDN's catalogue."""
    size, num = page_params(call.pairs)
    total, page = catalogues(call.store).page(call.vdn_id, size, num)
    return reported_total(success("queryOBSResultCode", totalCount=total, obsCodes=page), call.config)
