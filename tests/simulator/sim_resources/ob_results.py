# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""External results (OB results): queryOBSResults, queryObsResultDetail, createObResult, updateObResult,
deleteObsResult, and the admin API's seeding."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import itertools
import re
import unicodedata

from sim_resources.common import (ERR_CHARS, ERR_COMBINATION, ERR_EMPTY, ERR_PARAM, ERR_TOO_LONG, ERR_TOO_MANY,
                                  ERR_TYPE, ERR_VALUE, Part, Rejected, json_object, page_params, reported_total, success)
from sim_resources.obs_codes import catalogues

FIRST_DEF_ID = 1645244637
FIRST_MAP_ID = 1000001
MAX_DISPLAY_LENGTH = 256
MAX_OBS_CODES = 100

_RESULT_CODE_RE = re.compile(r"[A-Za-z0-9_-]+")


# ---------------------------------------------------------------- validation

def _check_display(value, trim):
    """trim: the stripped text is stored (the trim_display config key), after the checks."""
    if value is None:
        raise Rejected(ERR_EMPTY, "displayResult is empty")
    if not isinstance(value, str):
        raise Rejected(ERR_TYPE, "displayResult must be a string")
    if not value.strip():
        raise Rejected(ERR_EMPTY, "displayResult is empty")
    if len(value) > MAX_DISPLAY_LENGTH:
        raise Rejected(ERR_TOO_LONG, "displayResult is longer than %d characters" % MAX_DISPLAY_LENGTH)
    if any(unicodedata.category(char) == "Cc" for char in value):
        raise Rejected(ERR_CHARS, "displayResult contains control characters")
    return value.strip() if trim else value


def _given_result_code(value):
    """The resultCode of a request body: "" when absent, null or empty."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Rejected(ERR_TYPE, "resultCode must be a string")
    return value


def _check_result_code(value):
    code = _given_result_code(value)
    if not code:
        return code
    if len(code) >= 8:
        raise Rejected(ERR_TOO_LONG, "resultCode must be fewer than 8 characters")
    if not _RESULT_CODE_RE.fullmatch(code):
        raise Rejected(ERR_CHARS, "resultCode may only contain A-Z a-z 0-9 _ -")
    return code


def _check_obs_codes(value):
    """The distinct codes, in the order given."""
    if value is None or value == []:
        raise Rejected(ERR_EMPTY, "obsCodes is empty")
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise Rejected(ERR_TYPE, "obsCodes must be a list of strings")
    if len(value) > MAX_OBS_CODES:
        raise Rejected(ERR_TOO_MANY, "obsCodes may hold at most %d codes" % MAX_OBS_CODES)
    return list(dict.fromkeys(value))


def _check_def_id(value):
    if value is None or value == "":
        raise Rejected(ERR_EMPTY, "defId is empty")
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise Rejected(ERR_TYPE, "defId must be a string")
    return str(value)


def _seed_row(index, item):
    """(displayResult, resultCode, obsCodes, defId or None) of one admin seeding item."""
    if not isinstance(item, dict):
        raise ValueError("results[%d] must be an object" % index)
    display = item.get("displayResult")
    code = item.get("resultCode") or ""
    obs = item.get("obsCodes") or []
    def_id = item.get("defId")
    if not isinstance(display, str) or not isinstance(code, str):
        raise ValueError("results[%d]: displayResult and resultCode must be strings" % index)
    if not isinstance(obs, list) or not all(isinstance(c, str) for c in obs):
        raise ValueError("results[%d]: obsCodes must be a list of strings" % index)
    if def_id is not None and (not isinstance(def_id, str) or not def_id):
        raise ValueError("results[%d]: defId must be a non-empty string" % index)
    return display, code, list(dict.fromkeys(obs)), def_id


# ---------------------------------------------------------------- state

class _Result:
    __slots__ = ("def_id", "vdn_id", "display", "code", "obs", "map_ids")

    def __init__(self, def_id, vdn_id, display, code):
        self.def_id = def_id
        self.vdn_id = vdn_id
        self.display = display
        self.code = code
        self.obs = []
        self.map_ids = []

    def summary(self):
        return {"defId": self.def_id, "displayResult": self.display, "resultCode": self.code}

    def dump(self):
        return {"defId": self.def_id, "displayResult": self.display, "resultCode": self.code,
                "obsCodes": sorted(self.obs)}


class _Vdn:
    __slots__ = ("results", "codes")

    def __init__(self):
        self.results = {}   # defId -> _Result, in creation order
        self.codes = {}     # resultCode -> defId


class Results(Part):
    """The store part: all results of all VDNs (vdnId -> _Vdn), behind one lock."""

    def __init__(self, store):
        Part.__init__(self)
        self.catalogues = catalogues(store)
        self._def_ids = itertools.count(FIRST_DEF_ID)  # never rewound, not even by a reset
        self._map_ids = itertools.count(FIRST_MAP_ID)
        self.deleted = []   # functions (vdnId, resultCode) called after a delete call removed a result

    def _get(self, vdn_id):
        return self._vdns.get(vdn_id) or _Vdn()

    def _get_or_add(self, vdn_id):
        vdn = self._vdns.get(vdn_id)
        if vdn is None:
            vdn = self._vdns[vdn_id] = _Vdn()
        return vdn

    def _set_obs(self, result, codes):
        result.obs = codes
        result.map_ids = [str(next(self._map_ids)) for _code in codes]

    def _taken(self, def_id):
        """Whether some VDN holds a result with this defId."""
        return any(def_id in vdn.results for vdn in self._vdns.values())

    def _next_def_id(self, reserved=()):
        """The next counter defId that no result holds (a seeded defId may look like one)."""
        while True:
            def_id = str(next(self._def_ids))
            if def_id not in reserved and not self._taken(def_id):
                return def_id

    def _insert(self, vdn, vdn_id, display, code, obs, def_id=None, reserved=()):
        result = _Result(def_id or self._next_def_id(reserved), vdn_id, display, code)
        self._set_obs(result, obs)
        vdn.results[result.def_id] = result
        if code:
            vdn.codes[code] = result.def_id
        return result

    def _existing(self, vdn_id, def_id):
        result = self._get(vdn_id).results.get(def_id)
        if result is None:
            raise Rejected(ERR_VALUE, "defId %s does not exist in VDN %d" % (def_id, vdn_id))
        return result

    def _check_known(self, vdn_id, codes):
        known = self.catalogues.known(vdn_id)
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise Rejected(ERR_VALUE, "obsCodes not in the OBS code catalogue of VDN %d: %s" % (vdn_id, ", ".join(unknown)))

    # --- the API calls; each returns the JSON answer or raises Rejected

    def list(self, vdn_id, size, num):
        with self.lock:
            results = self._get(vdn_id).results
            start = (num - 1) * size
            page = [r.summary() for r in itertools.islice(results.values(), start, start + size)] if start < len(results) else []
            return success("queryOBSResults", totalCount=len(results), data=page)

    def detail(self, vdn_id, def_id):
        with self.lock:
            result = self._existing(vdn_id, def_id)
            maps = [{"mapId": map_id, "defId": result.def_id, "failCode": code, "vdnId": vdn_id}
                    for map_id, code in zip(result.map_ids, result.obs)]
            return success("queryObsResultDetail", obResult={
                "defId": result.def_id, "displayResult": result.display, "vdnId": vdn_id,
                "resultCode": result.code, "resultMapList": maps})

    def create(self, vdn_id, data, trim):
        display = _check_display(data.get("displayResult"), trim)
        code = _check_result_code(data.get("resultCode"))
        with self.lock:   # the resultCode check and the insert are one step: no race can pass both
            if code and code in self._get(vdn_id).codes:
                raise Rejected(ERR_PARAM, "resultCode %s already exists" % code)
            obs = _check_obs_codes(data.get("obsCodes"))
            self._check_known(vdn_id, obs)
            result = self._insert(self._get_or_add(vdn_id), vdn_id, display, code, obs)
            return success("createObResult", defId=result.def_id)

    def update(self, vdn_id, data, trim):
        def_id = _check_def_id(data.get("defId"))
        display = _check_display(data.get("displayResult"), trim)
        code = _given_result_code(data.get("resultCode"))
        obs = _check_obs_codes(data.get("obsCodes"))
        with self.lock:
            result = self._existing(vdn_id, def_id)
            if code and code != result.code:
                raise Rejected(ERR_COMBINATION, "resultCode cannot be changed")
            self._check_known(vdn_id, obs)
            result.display = display
            self._set_obs(result, obs)
            return success("updateObResult")

    def delete(self, vdn_id, def_id):
        with self.lock:
            self._existing(vdn_id, def_id)
            vdn = self._get(vdn_id)
            result = vdn.results.pop(def_id)
            if result.code:
                vdn.codes.pop(result.code, None)
        for listener in self.deleted:
            listener(vdn_id, result.code)
        return success("deleteObsResult")

    def result_codes(self, vdn_id):
        """The resultCodes of a VDN's results (a set)."""
        with self.lock:
            return set(self._get(vdn_id).codes)

    # --- the admin API

    def seed(self, vdn_id, items):
        """Add results without the API's validation; returns their defIds.

        An item may bring its own defId (any non-empty string), used instead of the counter.
        """
        rows = [_seed_row(index, item) for index, item in enumerate(items)]
        with self.lock:
            seen = set(self._get(vdn_id).codes)
            given = set()
            for index, row in enumerate(rows):
                if row[1] and row[1] in seen:
                    raise ValueError("results[%d]: resultCode %s already exists" % (index, row[1]))
                seen.add(row[1])
                if row[3] is not None and (row[3] in given or self._taken(row[3])):
                    raise ValueError("results[%d]: defId %s already exists" % (index, row[3]))
                if row[3] is not None:
                    given.add(row[3])
            vdn = self._get_or_add(vdn_id)
            return [self._insert(vdn, vdn_id, *row, reserved=given).def_id for row in rows]

    def dump(self, vdn_ids):
        """{str(vdnId): [result, ...]} of these VDNs."""
        with self.lock:
            return {str(i): [r.dump() for r in self._get(i).results.values()] for i in vdn_ids}

    def remove_vdn(self, vdn_id):
        with self.lock:
            vdn = self._vdns.get(vdn_id)
            if vdn is not None:
                vdn.results = {}
                vdn.codes = {}


def results(store):
    return store.part(Results)


# ---------------------------------------------------------------- handlers

def list_results(call):
    """queryOBSResults: a page of the VDN's results, in creation order."""
    size, num = page_params(call.pairs)
    return reported_total(results(call.store).list(call.vdn_id, size, num), call.config)


def detail(call):
    return results(call.store).detail(call.vdn_id, call.params["defId"])


def create(call):
    return results(call.store).create(call.vdn_id, json_object(call.body), call.config["trim_display"])


def update(call):
    return results(call.store).update(call.vdn_id, json_object(call.body), call.config["trim_display"])


def delete(call):
    return results(call.store).delete(call.vdn_id, call.params["defId"])
