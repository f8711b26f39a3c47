# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CC-iSales simulator (tests/simulator/) in-process, behind the `responses` mock, for module tests.

Every request goes through the simulator's own routing table, handlers, store, fault rules and
request log -- no socket, no TLS. It keeps state, so tests of modules that read concurrently (in
any order) stay deterministic. Faults can be queued per call: fail("ob_result.create", status=502,
act=True) answers the next create with HTTP 502 after doing it (an ambiguous failure of a write
that happened); fake.faults takes any simulator fault rule. With a secret_key, every request's
auth-v2 signature is checked by the simulator's verifier (401 when wrong).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import email.utils
import importlib
import json
import os
import re
import sys
from urllib.parse import urlsplit

import requests
import responses

SIMULATOR_DIR = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "simulator"))
if SIMULATOR_DIR not in sys.path:
    sys.path.insert(0, SIMULATOR_DIR)
isales_simulator = importlib.import_module("isales_simulator")
results = importlib.import_module("sim_resources.ob_results").results
campaigns = importlib.import_module("sim_resources.campaigns").campaigns

BASE = "https://isales.example.com:28443"
WRITE_CALLS = frozenset(isales_simulator.CALLS) - isales_simulator.READ_ONLY_CALLS
OK = "0200000"


class _InProcess(isales_simulator.Simulator):
    """A simulator that serves no socket; it may skip the signature check, cap page sizes and race creates."""

    def __init__(self, access_key, secret_key, catalogue, page_size_cap):
        args = isales_simulator.parse_args(["--state-dir", os.curdir, "--access-key", access_key, "--lifetime", "0"])[0]
        isales_simulator.Simulator.__init__(self, args, secret_key or "-")
        self.store = isales_simulator.Store(default_obs_codes=args.default_obs_codes, default_catalogue=catalogue)
        self.check_signatures = secret_key is not None
        self.page_size_cap = page_size_cap
        self.racers = {}

    def authenticate(self, request, headers):
        if not self.check_signatures:
            return "ok"
        return isales_simulator.Simulator.authenticate(self, request, headers)

    def perform(self, request, target):
        if self.page_size_cap is not None:   # a server that answers smaller pages than asked
            request.pairs = [(k, str(min(int(v), self.page_size_cap)) if k == "pageSize" and v.isdigit() else v)
                             for k, v in request.pairs]
        status, payload, extra = isales_simulator.Simulator.perform(self, request, target)
        if target.call == "ob_result.create" and payload.get("returnCode") == OK:
            data = json.loads(request.body)
            racer = self.racers.pop(data["displayResult"], None)
            if racer is not None:   # another run created the same at the same moment, with this defId
                results(self.store).seed(int(target.params["vdnId"]), [dict(data, defId=racer)])
        return status, payload, extra


class FakeIsales(object):
    """One server's API, for any VDN."""

    def __init__(self, rsps, base=BASE, page_size_cap=None, catalogue=None, secret_key=None, access_key="ak"):
        self.base = base
        self.catalogue = catalogue if catalogue is not None else [
            {"obsCode": "%05d" % (601 + i), "obsCodeDesc": "Code %d" % i} for i in range(60)]
        self.sim = _InProcess(access_key, secret_key, self.catalogue, page_size_cap)
        self.faults = self.sim.faults      # the simulator's fault rules (add([rule, ...]), pending(), clear())
        self.racers = self.sim.racers      # displayResult -> defId another run "creates" at the same moment as ours
        for method in (responses.GET, responses.POST, responses.PUT, responses.DELETE, responses.PATCH):
            rsps.add_callback(method, re.compile(re.escape(base) + "/"), callback=self._answer)

    # -- set-up and inspection ----------------------------------------------

    def seed(self, vdn, *items):
        """items: (displayResult, resultCode or None, [obs codes]); returns their defIds."""
        return results(self.sim.store).seed(vdn, [
            {"displayResult": text, "resultCode": code or "", "obsCodes": list(codes)} for text, code, codes in items])

    def seed_campaigns(self, vdn, *items):
        """items: campaigns as the admin API seeds them ({campaignId, name, ..., retryPolicy: the data object
        a policy read answers}); returns their ids."""
        return campaigns(self.sim.store).seed(vdn, [dict(item) for item in items])

    def policy(self, vdn, campaign_id):
        """The campaign's policy as a read answers it now (its data object, or None)."""
        return campaigns(self.sim.store).policy_data(vdn, campaign_id)

    def fail(self, call, status=502, act=False, count=1, code=None):
        """The next `count` calls of `call` answer HTTP `status`; act: do the call anyway.
        code: instead, refuse the call with this vendor returnCode (HTTP 200, not done)."""
        if code is None:
            rule = {"call": call, "kind": "status", "status": status, "act": act, "count": count}
        else:
            rule = {"call": call, "kind": "rewrite", "act": False, "count": count,
                    "set": isales_simulator.answer(code, "refused by the test")}
        self.faults.add([rule])

    @property
    def vdns(self):
        """{vdn: {defId: {defId, displayResult, resultCode, obsCodes (sorted)}}}, in creation order."""
        dump = results(self.sim.store).dump(self.sim.store.vdn_ids())
        return dict((int(vdn), dict((r["defId"], r) for r in found)) for vdn, found in dump.items())

    def state(self, vdn):
        """{displayResult: (resultCode or None, sorted codes)} of a VDN."""
        return dict((r["displayResult"], (r["resultCode"] or None, r["obsCodes"])) for r in self.vdns.get(vdn, {}).values())

    @property
    def calls(self):
        """(call, vdn, defId or None, JSON body or None) of every request, in order (the simulator's request log)."""
        return [(r["call"], r["vdn_id"], r["def_id"], json.loads(r["body"]) if r["body"] else None)
                for r in self.sim.log.since(0)]

    def count(self, *calls):
        return len([c for c in self.calls if c[0] in calls])

    def writes(self):
        return [c for c in self.calls if c[0] in WRITE_CALLS]

    # -- plumbing ---------------------------------------------------------------

    def _answer(self, request):
        parts = urlsplit(request.url)
        body = request.body
        raw = body.encode("utf-8") if isinstance(body, str) else (body or b"")
        reply = self.sim.handle_api(request.method, parts.path, parts.query, request.headers, raw)
        if reply is None:
            raise requests.exceptions.ConnectionError("connection reset (a simulator fault)")
        status, content_type, data, extra = reply
        headers = dict(extra)
        headers.update({"Content-Type": content_type, "Date": email.utils.formatdate(self.sim.now(), usegmt=True)})
        return status, headers, data
