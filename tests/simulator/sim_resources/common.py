# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every resource of the simulator shares: the vendor's answer shape and codes, and the checks of
values that several calls take (vdnId, page parameters, a JSON body)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import json
import re
import threading

MAX_PAGE_SIZE = 50

OK = "0200000"
ERR_PARAM = "0200001"
ERR_EMPTY = "02000001"
ERR_CHARS = "02000002"
ERR_TOO_LONG = "02000003"
ERR_RANGE = "02000005"
ERR_TYPE = "02000006"
ERR_VALUE = "02000007"
ERR_CONVERSION = "02000008"
ERR_COMBINATION = "02000009"
ERR_TOO_MANY = "02000011"

_INTEGER_RE = re.compile(r"[+-]?[0-9]+")


def answer(code, desc, **payload):
    """A vendor-style JSON answer: returnCode == resultCode, returnDesc == resultDesc."""
    body = {"returnCode": code, "resultCode": code, "returnDesc": desc, "resultDesc": desc}
    body.update(payload)
    return body


def success(operation, **payload):
    return answer(OK, "%s Success!" % operation, **payload)


class Rejected(Exception):
    """A validation failure: the vendor code and its description."""

    def __init__(self, code, desc):
        Exception.__init__(self, desc)
        self.code = code
        self.desc = desc


# What a route's handler gets: the store, the vdnId (an int), the path parameters (a dict), the query
# pairs, the body text (or None) and the runtime config.
Call = collections.namedtuple("Call", "store vdn_id params pairs body config")


def reported_total(payload, config):
    """A list answer with the total_count config key applied: that totalCount, the page itself stays real."""
    if config["total_count"] is not None:
        payload["totalCount"] = config["total_count"]
    return payload


def parse_int(text):
    """int(text) for a Java-parsable 32-bit integer, else None."""
    if text is None or not _INTEGER_RE.fullmatch(text):
        return None
    value = int(text)
    if not -2 ** 31 <= value < 2 ** 31:
        return None
    return value


def parse_vdn(text):
    value = parse_int(text)
    if value is None or not 1 <= value <= 9999:
        return None
    return value


def page_params(pairs):
    """(pageSize, pageNum) of a list call's query pairs."""
    first = {}
    for key, value in pairs:
        first.setdefault(key, value)
    size_text = first.get("pageSize")
    num_text = first.get("pageNum")
    if not size_text:
        raise Rejected(ERR_EMPTY, "pageSize is empty")
    size = parse_int(size_text)
    if size is None:
        raise Rejected(ERR_TYPE, "pageSize must be an integer")
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise Rejected(ERR_RANGE, "pageSize must be 1..%d" % MAX_PAGE_SIZE)
    if not num_text:
        raise Rejected(ERR_EMPTY, "pageNum is empty")
    num = parse_int(num_text)
    if num is None:
        raise Rejected(ERR_TYPE, "pageNum must be an integer")
    if num < 1:
        raise Rejected(ERR_VALUE, "pageNum must be 1 or more")
    return size, num


def json_object(body):
    try:
        data = json.loads(body or "")
    except ValueError as exc:
        raise Rejected(ERR_CONVERSION, "request body is not valid JSON") from exc
    if not isinstance(data, dict):
        raise Rejected(ERR_CONVERSION, "request body must be a JSON object")
    return data


def admin_vdn(value):
    """The vdnId of an admin request (a number or text); ValueError when it is not 1..9999."""
    vdn_id = parse_vdn(str(value)) if not isinstance(value, bool) else None
    if vdn_id is None:
        raise ValueError("vdn must be 1..9999")
    return vdn_id


def admin_items(data, key):
    """(vdnId, the list under key) of an admin seeding body {"vdnId": N, key: [...]}; ValueError otherwise."""
    if not isinstance(data, dict):
        raise ValueError("the request body must be a JSON object")
    items = data.get(key)
    if not isinstance(items, list):
        raise ValueError("%s must be a list" % key)
    return admin_vdn(data.get("vdnId")), items


class Store:
    """The state of every resource: one part per resource (its class), made on first use.

    A part is made with this store (to read the settings or reach another part) and has clear(),
    which /__sim/reset calls, and vdn_ids(), the VDNs it holds anything for.
    """

    def __init__(self, **settings):
        self.settings = settings
        self._lock = threading.RLock()   # a part made here may ask for another part
        self._parts = {}

    def part(self, kind):
        with self._lock:
            part = self._parts.get(kind)
            if part is None:
                part = self._parts[kind] = kind(self)
            return part

    def clear(self):
        with self._lock:
            parts = list(self._parts.values())
        for part in parts:
            part.clear()

    def vdn_ids(self):
        with self._lock:
            parts = list(self._parts.values())
        return sorted(set().union(*[part.vdn_ids() for part in parts]))


class Part:
    """A part of the store: one resource's state per VDN (_vdns) behind one lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self._vdns = {}

    def clear(self):
        with self.lock:
            self._vdns = {}

    def vdn_ids(self):
        with self.lock:
            return set(self._vdns)
