# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An in-memory CC-iSales API behind the `responses` mock, for module tests.

Unlike a fixed sequence of mocked answers it keeps state, so tests of modules
that read concurrently (in any order) stay deterministic. Faults can be queued
per call: fail("create", status=502, act=True) answers the next create with
HTTP 502 after doing it (an ambiguous failure of a write that happened).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import itertools
import json
import re
import threading
from urllib.parse import parse_qsl, urlsplit

import responses

BASE = "https://isales.example.com:28443"
OK = "0200000"


def _answer(status=200, code=OK, desc="Success", **payload):
    body = {"returnCode": code, "resultCode": code, "returnDesc": desc, "resultDesc": desc}
    body.update(payload)
    return status, {"Content-Type": "application/json;charset=UTF-8"}, json.dumps(body)


class FakeIsales(object):
    """The six external-result calls of one server, for any VDN."""

    def __init__(self, rsps, base=BASE, page_size_cap=50, catalogue=None):
        self.base = base
        self.page_size_cap = page_size_cap
        self.lock = threading.Lock()
        self.vdns = {}      # vdn -> {defId: {"displayResult", "resultCode", "obsCodes"}}
        self.catalogue = catalogue if catalogue is not None else [
            {"obsCode": "%05d" % (601 + i), "obsCodeDesc": "Code %d" % i} for i in range(60)]
        self.calls = []     # (call, vdn, defId or None, body or None)
        self.faults = []    # [call, status, act, count, code]
        self.racers = {}    # displayResult -> defId another run "creates" at the same moment as ours
        self._ids = itertools.count(1000)
        prefix = re.escape(base + "/rest/isales/v1/openapi/campaigns/") + r"(\d+)/"
        for method, pattern, handler in (
                (responses.GET, r"queryOBSResults", self._list),
                (responses.GET, r"queryOBSResultCode", self._codes),
                (responses.GET, r"([^/?]+)/queryObsResultDetail", self._detail),
                (responses.POST, r"createObResult", self._create),
                (responses.POST, r"updateObResult", self._update),
                (responses.DELETE, r"([^/?]+)/deleteObsResult", self._delete)):
            rsps.add_callback(method, re.compile(prefix + pattern + r"(\?.*)?$"), callback=self._wrap(handler))

    # -- set-up and inspection ----------------------------------------------

    def seed(self, vdn, *items):
        """items: (displayResult, resultCode or None, [obs codes]); returns their defIds."""
        ids = []
        with self.lock:
            results = self.vdns.setdefault(vdn, {})
            for text, code, codes in items:
                def_id = str(next(self._ids))
                results[def_id] = {"displayResult": text, "resultCode": code or "", "obsCodes": list(codes)}
                ids.append(def_id)
        return ids

    def fail(self, call, status=502, act=False, count=1, code=None):
        """The next `count` calls of `call` answer HTTP `status`; act: do the call anyway.
        code: instead, refuse the call with this vendor returnCode (HTTP 200, not done)."""
        self.faults.append([call, status, act, count, code])

    def state(self, vdn):
        """{displayResult: (resultCode or None, sorted codes)} of a VDN."""
        return dict((r["displayResult"], (r["resultCode"] or None, sorted(r["obsCodes"])))
                    for r in self.vdns.get(vdn, {}).values())

    def count(self, *calls):
        return len([c for c in self.calls if c[0] in calls])

    def writes(self):
        return [c for c in self.calls if c[0] in ("create", "update", "delete")]

    # -- plumbing ---------------------------------------------------------------

    def _wrap(self, handler):
        call = handler.__name__.strip("_")

        def callback(request):
            parts = urlsplit(request.url)
            match = re.search(r"/campaigns/(\d+)/(?:([^/]+)/)?[A-Za-z]+$", parts.path)
            vdn = int(match.group(1))
            def_id = match.group(2)
            body = json.loads(request.body) if request.body else None
            query = dict(parse_qsl(parts.query))
            with self.lock:
                self.calls.append((call, vdn, def_id, body))
                fault = None
                for rule in self.faults:
                    if rule[0] == call:
                        fault = rule
                        rule[3] -= 1
                        if rule[3] <= 0:
                            self.faults.remove(rule)
                        break
                if fault is not None and fault[4] is not None:
                    return _answer(code=fault[4], desc="refused by the test")
                if fault is not None and not fault[2]:
                    return fault[1], {"Content-Type": "text/html"}, "<html>%d</html>" % fault[1]
                answer = handler(vdn, def_id, body, query)
                if fault is not None:
                    return fault[1], {"Content-Type": "text/html"}, "<html>%d</html>" % fault[1]
                return answer
        return callback

    def _page(self, items, query):
        size = min(int(query["pageSize"]), self.page_size_cap)
        number = int(query["pageNum"])
        return items[(number - 1) * size:number * size]

    def _list(self, vdn, _def_id, _body, query):
        results = self.vdns.get(vdn, {})
        data = [{"defId": k, "displayResult": v["displayResult"], "resultCode": v["resultCode"]}
                for k, v in results.items()]
        return _answer(totalCount=len(data), data=self._page(data, query))

    def _codes(self, _vdn, _def_id, _body, query):
        return _answer(totalCount=len(self.catalogue), obsCodes=self._page(self.catalogue, query))

    def _detail(self, vdn, def_id, _body, _query):
        result = self.vdns.get(vdn, {}).get(def_id)
        if result is None:
            return _answer(code="02000007", desc="defId %s does not exist" % def_id)
        maps = [{"mapId": str(i), "defId": def_id, "failCode": c, "vdnId": vdn} for i, c in enumerate(result["obsCodes"])]
        return _answer(obResult={"defId": def_id, "displayResult": result["displayResult"], "vdnId": vdn,
                                 "resultCode": result["resultCode"], "resultMapList": maps})

    def _create(self, vdn, _def_id, body, _query):
        results = self.vdns.setdefault(vdn, {})
        code = body.get("resultCode") or ""
        if code and any(r["resultCode"] == code for r in results.values()):
            return _answer(code="0200001", desc="resultCode %s already exists" % code)
        known = set(item["obsCode"] for item in self.catalogue)
        unknown = [c for c in body["obsCodes"] if c not in known]
        if unknown:
            return _answer(code="02000007", desc="unknown obsCodes: %s" % ", ".join(unknown))
        def_id = str(next(self._ids))
        results[def_id] = {"displayResult": body["displayResult"], "resultCode": code, "obsCodes": list(body["obsCodes"])}
        racer = self.racers.pop(body["displayResult"], None)
        if racer is not None:
            results[racer] = dict(results[def_id])
        return _answer(desc="createObResult Success!", defId=def_id)

    def _update(self, vdn, _def_id, body, _query):
        result = self.vdns.get(vdn, {}).get(body["defId"])
        if result is None:
            return _answer(code="02000007", desc="defId does not exist")
        result["displayResult"] = body["displayResult"]
        result["obsCodes"] = list(body["obsCodes"])
        return _answer(desc="updateObResult Success!")

    def _delete(self, vdn, def_id, _body, _query):
        if self.vdns.get(vdn, {}).pop(def_id, None) is None:
            return _answer(code="02000007", desc="defId does not exist")
        return _answer(desc="deleteObsResult Success!")
