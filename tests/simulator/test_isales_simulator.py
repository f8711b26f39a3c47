# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tests of the CC-iSales simulator: a real server on a free port, real HTTPS verified against its CA.

    pip install -r tests/simulator/requirements.txt
    python -m pytest tests/simulator

Requests are signed with the collection's own signer (plugins/module_utils/signer.py),
so every passing API test is also a cross-check of that signer against the
simulator's independent verifier.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import email.utils
import http.client
import importlib
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from urllib.parse import urlencode

import pytest
import requests

HERE = os.path.dirname(os.path.abspath(__file__))
COLLECTION_ROOT = os.path.dirname(os.path.dirname(HERE))
SIMULATOR = os.path.join(HERE, "isales_simulator.py")
VECTORS = os.path.join(COLLECTION_ROOT, "tests", "unit", "plugins", "module_utils", "fixtures", "auth-v2-vectors.json")
HEADER_VECTORS = os.path.join(os.path.dirname(VECTORS), "auth-v2-vectors-signed-headers.json")
SECRET = "sim-secret-Zq7+/x9"
ACCESS_KEY = "sim-ak"
API = "/rest/isales/v1/openapi/campaigns/"
JSON_CT = "application/json; charset=UTF-8"
UTC = datetime.timezone.utc

if HERE not in sys.path:
    sys.path.insert(0, HERE)
sim = importlib.import_module("isales_simulator")


def _load_signer():
    """The collection's signer; when PYTHONPATH does not hold an ansible_collections tree, make one."""
    name = "ansible_collections.huawei.isales.plugins.module_utils.signer"
    try:
        return importlib.import_module(name)
    except ImportError:
        tree = tempfile.mkdtemp(prefix="isales-sim-tests-")
        os.makedirs(os.path.join(tree, "ansible_collections", "huawei"))
        os.symlink(COLLECTION_ROOT, os.path.join(tree, "ansible_collections", "huawei", "isales"))
        sys.path.insert(0, tree)
        importlib.invalidate_caches()
        return importlib.import_module(name)


signer = _load_signer()

with open(VECTORS, encoding="utf-8") as _handle:
    VECTOR_LIST = json.load(_handle)["vectors"]
with open(HEADER_VECTORS, encoding="utf-8") as _handle:
    HEADER_VECTOR_LIST = json.load(_handle)["vectors"]


# ---------------------------------------------------------------- a running simulator

class Running:
    """One simulator process, and signed / admin requests to it."""

    def __init__(self, state_dir, extra_args=(), env=None):
        self.state_dir = str(state_dir)
        self.info_path = os.path.join(self.state_dir, "server.json")
        self.log_file = os.path.join(self.state_dir, "requests.jsonl")
        self.out_path = os.path.join(self.state_dir, "server.out")
        os.makedirs(self.state_dir, exist_ok=True)
        environment = dict(os.environ)
        environment[sim.SECRET_ENV] = SECRET
        environment.update(env or {})
        command = [sys.executable, SIMULATOR, "--state-dir", self.state_dir, "--port", "0",
                   "--lifetime", "300", "--log-file", self.log_file] + list(extra_args)
        with open(self.out_path, "wb") as out:
            self.proc = subprocess.Popen(command, env=environment, stdout=out, stderr=subprocess.STDOUT)  # pylint: disable=consider-using-with
        deadline = time.monotonic() + 30
        while not os.path.exists(self.info_path):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("simulator did not start: %s" % self.output())
            time.sleep(0.05)
        with open(self.info_path, encoding="utf-8") as handle:
            self.info = json.load(handle)
        self.url = self.info["url"]
        self.host = "localhost:%d" % self.info["port"]
        self.origin = "https://" + self.host
        self.prefix = self.url[len(self.origin):]   # --path-prefix, as sent on the wire
        self.ca = self.info["ca_path"]
        self.session = requests.Session()
        self.session.trust_env = False   # REQUESTS_CA_BUNDLE would override verify=

    def output(self):
        with open(self.out_path, encoding="utf-8", errors="replace") as handle:
            return handle.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(15)

    def api(self, method, rel, query=None, body=None, secret=SECRET, access_key=ACCESS_KEY, signed=None,
            send_host=None, send_body=None, timestamp=None, content_type=JSON_CT, timeout=10,
            send_headers=None, session=None, prefix=None):
        """A request signed with the collection's signer; signed/send_* allow lying about what is sent."""
        path = (self.prefix if prefix is None else prefix) + API + rel
        if body is not None and not isinstance(body, str):
            body = json.dumps(body, ensure_ascii=False)
        auth = signer.authorization(access_key, secret, method, path, query=query,
                                    headers=signed if signed is not None else {"host": self.host},
                                    body=body, timestamp=timestamp)
        headers = {"Authorization": auth, "Content-Type": content_type}
        if send_host:
            headers["Host"] = send_host
        headers.update(send_headers or {})
        data = body if send_body is None else send_body
        url = self.origin + path + ("?" + urlencode(query) if query else "")
        return (session or self.session).request(method, url, headers=headers, verify=self.ca, timeout=timeout,
                                                 data=data.encode("utf-8") if data is not None else None)

    def admin(self, method, name, payload=None, params=None, expect=200):
        resp = self.session.request(method, self.info["admin_url"] + "/" + name, params=params,
                                    data=json.dumps(payload) if payload is not None else None, verify=self.ca, timeout=30)
        assert resp.status_code == expect, resp.text
        return resp.json()

    def requests_log(self, since=0):
        return self.admin("GET", "requests", params={"since": since})["requests"]

    def last_record(self):
        return self.requests_log()[-1]

    def results(self, vdn):
        return self.admin("GET", "results", params={"vdn": vdn})["results"]


def vendor(resp, code="0200000"):
    """The JSON answer of a vendor-style 200 response, checked for the given code."""
    assert resp.status_code == 200, resp.text
    data = resp.json()
    assert data["returnCode"] == data["resultCode"] == code, data
    assert data["returnDesc"] == data["resultDesc"]
    return data


def create(server, vdn=12, display="Busy", obs=("00601",), code=None):
    body = {"displayResult": display, "obsCodes": list(obs)}
    if code is not None:
        body["resultCode"] = code
    return vendor(server.api("POST", "%s/createObResult" % vdn, body=body))["defId"]


def list_page(server, vdn, size, num):
    return vendor(server.api("GET", "%s/queryOBSResults" % vdn, query={"pageSize": str(size), "pageNum": str(num)}))


@pytest.fixture(scope="module", name="server")
def server_fixture(tmp_path_factory):
    running = Running(tmp_path_factory.mktemp("sim"))
    yield running
    assert running.stop() == 0
    assert not os.path.exists(running.info_path)


@pytest.fixture(autouse=True)
def _fresh(request):
    if "server" in request.fixturenames:
        request.getfixturevalue("server").admin("POST", "reset")


# ---------------------------------------------------------------- the verifier, offline

def _vector_inputs(vector):
    pairs = list((vector["query"] or {}).items())
    return (vector["method"], vector["uri"], pairs, vector["signed_headers"], vector["body"], vector["authorization"])


@pytest.mark.parametrize("vector", VECTOR_LIST, ids=[v["name"] for v in VECTOR_LIST])
def test_verifier_accepts_every_vector(vector):
    method, path, pairs, headers, body, authorization = _vector_inputs(vector)
    now = sim.stamp_seconds(vector["timestamp"])
    secrets = {vector["access_key"]: vector["secret_key"]}
    assert sim.verify(method, path, pairs, headers, body, authorization, secrets, now) == "ok"
    signed_names = authorization.split("/")[3]
    values = dict((name.lower(), value) for name, value in headers.items())
    assert sim.canonical_request(method, path, pairs, signed_names, values, body) == vector["canonical_request"]


def test_verifier_rejects_tampering():
    vector = VECTOR_LIST[0]
    method, path, pairs, headers, body, authorization = _vector_inputs(vector)
    now = sim.stamp_seconds(vector["timestamp"])
    secrets = {vector["access_key"]: vector["secret_key"]}

    def check(**changes):
        args = {"method": method, "path": path, "query_pairs": pairs, "headers": headers, "body": body,
                "authorization": authorization, "secrets": secrets, "now": now}
        args.update(changes)
        return sim.verify(**args)

    assert check() == "ok"
    assert check(now=now + 14 * 60) == "ok"
    assert check(now=now - 16 * 60) == "request time skew exceeds 15 minutes"
    assert check(secrets={vector["access_key"]: "wrong"}) == "signature mismatch"
    assert check(secrets={"other": vector["secret_key"]}) == "unknown access key"
    assert check(body=body.replace("007", "008")) == "signature mismatch"
    assert check(headers={"Host": "10.22.26.181:28081"}) == "signature mismatch"
    assert check(headers={}) == "signed header not present: host"
    assert check(query_pairs=[("a", "b")]) == "signature mismatch"
    assert check(method="PUT") == "signature mismatch"
    assert check(authorization=None) == "missing authorization"
    assert check(authorization="Bearer abc") == "malformed authorization"
    assert check(authorization=authorization.replace("/host/", "/content-type/")) == "host not signed"
    assert check(authorization=authorization.replace("2023-11-14T22:13:20Z", "2023-11-14 22:13:20")).startswith("malformed")
    assert check(authorization=authorization[:-1] + "0") == "signature mismatch"
    assert check(authorization=authorization[:-1] + "\u00e9") == "signature mismatch"


# ---------------------------------------------------------------- authentication, live

def test_collection_signer_is_accepted(server):
    # a query that needs encoding (unknown parameters are ignored) and a non-ASCII body
    query = {"pageSize": "50", "pageNum": "1", "b key": "x/y z", "a": ""}
    vendor(server.api("GET", "12/queryOBSResults", query=query))
    def_id = create(server, display="未接通 – no answer ✓ & (x)*", obs=["00602", "00606"], code="007")
    assert server.results(12)[0]["displayResult"] == "未接通 – no answer ✓ & (x)*"
    # more signed headers than host
    signed = {"Host": server.host, "Content-Type": JSON_CT}
    vendor(server.api("DELETE", "12/%s/deleteObsResult" % def_id, signed=signed))
    assert all(record["auth"] == "ok" for record in server.requests_log())


@pytest.mark.parametrize("case, reason", [
    ("bad_secret", "signature mismatch"),
    ("wrong_access_key", "unknown access key"),
    ("skewed_clock", "request time skew exceeds 15 minutes"),
    ("old_timestamp", "request time skew exceeds 15 minutes"),
    ("tampered_body", "signature mismatch"),
    ("host_mismatch", "signature mismatch"),
    ("host_not_signed", "host not signed"),
])
def test_authentication_failures(server, case, reason):
    body = {"displayResult": "Busy", "obsCodes": ["00601"]}
    kwargs = {
        "bad_secret": {"secret": "not-the-secret"},
        "wrong_access_key": {"access_key": "other-ak"},
        "skewed_clock": {},
        "old_timestamp": {"timestamp": datetime.datetime.now(UTC) - datetime.timedelta(minutes=16)},
        "tampered_body": {"send_body": json.dumps({"displayResult": "Bust", "obsCodes": ["00601"]})},
        "host_mismatch": {"send_host": "127.0.0.1:%d" % server.info["port"]},
        "host_not_signed": {"signed": {"content-type": JSON_CT}},
    }[case]
    if case == "skewed_clock":
        server.admin("POST", "config", {"clock_offset_minutes": 20})
    resp = server.api("POST", "12/createObResult", body=body, **kwargs)
    assert resp.status_code == 401
    assert resp.json()["returnCode"] == "401"
    assert resp.json()["returnDesc"] == reason
    assert server.last_record()["auth"] == reason
    assert server.results(12) == []


def test_clock_offset_within_fifteen_minutes_is_accepted(server):
    server.admin("POST", "config", {"clock_offset_minutes": -14})
    create(server)
    server.admin("POST", "config", {"clock_offset_minutes": -16})
    assert server.api("POST", "12/createObResult", body={"displayResult": "x", "obsCodes": ["00601"]}).status_code == 401


def test_missing_authorization_is_401(server):
    resp = server.session.get(server.url + API + "12/queryOBSResults?pageSize=1&pageNum=1", verify=server.ca)
    assert resp.status_code == 401
    assert resp.json()["returnDesc"] == "missing authorization"


# ---------------------------------------------------------------- the six calls

def test_obs_codes_catalogue_and_paging(server):
    first = vendor(server.api("GET", "12/queryOBSResultCode", query={"pageSize": "50", "pageNum": "1"}))
    assert first["totalCount"] == 60 and len(first["obsCodes"]) == 50
    assert first["obsCodes"][0]["obsCode"] == "00601" and first["obsCodes"][0]["obsCodeDesc"]
    second = vendor(server.api("GET", "77/queryOBSResultCode", query={"pageSize": "50", "pageNum": "2"}))
    assert [c["obsCode"] for c in second["obsCodes"]] == ["%05d" % n for n in range(651, 661)]
    beyond = vendor(server.api("GET", "12/queryOBSResultCode", query={"pageSize": "50", "pageNum": "9"}))
    assert beyond["totalCount"] == 60 and beyond["obsCodes"] == []


def test_create_list_detail_update_delete(server):
    first = create(server, display="7: The call is not answered.", obs=["00602", "00606"], code="007")
    second = create(server, display="Busy", obs=["00601"])
    assert first.isdigit() and second.isdigit() and int(second) > int(first)
    listing = list_page(server, 12, 50, 1)
    assert listing["totalCount"] == 2
    assert listing["data"] == [
        {"defId": first, "displayResult": "7: The call is not answered.", "resultCode": "007"},
        {"defId": second, "displayResult": "Busy", "resultCode": ""},
    ]
    detail = vendor(server.api("GET", "12/%s/queryObsResultDetail" % first))["obResult"]
    assert detail["defId"] == first and detail["vdnId"] == 12 and detail["resultCode"] == "007"
    assert [m["failCode"] for m in detail["resultMapList"]] == ["00602", "00606"]
    assert all(m["defId"] == first and m["vdnId"] == 12 and m["mapId"] for m in detail["resultMapList"])

    update = {"defId": first, "displayResult": "7: No answer", "obsCodes": ["00603"], "resultCode": "007"}
    assert vendor(server.api("POST", "12/updateObResult", body=update))["returnDesc"] == "updateObResult Success!"
    del update["resultCode"]
    update["obsCodes"] = ["00603", "00604"]
    vendor(server.api("POST", "12/updateObResult", body=update))
    detail = vendor(server.api("GET", "12/%s/queryObsResultDetail" % first))["obResult"]
    assert detail["displayResult"] == "7: No answer" and detail["resultCode"] == "007"
    assert [m["failCode"] for m in detail["resultMapList"]] == ["00603", "00604"]

    assert vendor(server.api("DELETE", "12/%s/deleteObsResult" % first))["returnDesc"] == "deleteObsResult Success!"
    vendor(server.api("GET", "12/%s/queryObsResultDetail" % first), "02000007")
    vendor(server.api("DELETE", "12/%s/deleteObsResult" % first), "02000007")
    assert list_page(server, 12, 50, 1)["totalCount"] == 1
    # the resultCode of a deleted result is free again
    create(server, code="007")


def test_duplicate_display_allowed_and_obs_codes_stored_once(server):
    one = create(server, display="Same text", obs=["00601", "00601", "00602"])
    two = create(server, display="Same text", obs=["00602"])
    assert one != two
    detail = vendor(server.api("GET", "12/%s/queryObsResultDetail" % one))["obResult"]
    assert [m["failCode"] for m in detail["resultMapList"]] == ["00601", "00602"]
    assert [r["obsCodes"] for r in server.results(12)] == [["00601", "00602"], ["00602"]]


def test_results_are_per_vdn(server):
    def_id = create(server, vdn=12, code="A1")
    create(server, vdn=13, code="A1")   # the same resultCode on another VDN is fine
    vendor(server.api("GET", "13/%s/queryObsResultDetail" % def_id), "02000007")
    vendor(server.api("DELETE", "13/%s/deleteObsResult" % def_id), "02000007")
    body = {"defId": def_id, "displayResult": "x", "obsCodes": ["00601"]}
    vendor(server.api("POST", "13/updateObResult", body=body), "02000007")
    assert sorted(server.admin("GET", "results")["vdns"]) == ["12", "13"]


CREATE_CASES = [
    ("not json", "{displayResult", "02000008"),
    ("a list", [{"displayResult": "x"}], "02000008"),
    ("display missing", {"obsCodes": ["00601"]}, "02000001"),
    ("display empty", {"displayResult": "", "obsCodes": ["00601"]}, "02000001"),
    ("display blank", {"displayResult": "  ", "obsCodes": ["00601"]}, "02000001"),
    ("display number", {"displayResult": 7, "obsCodes": ["00601"]}, "02000006"),
    ("display 257", {"displayResult": "x" * 257, "obsCodes": ["00601"]}, "02000003"),
    ("display 256", {"displayResult": "x" * 256, "obsCodes": ["00601"]}, "0200000"),
    ("display tab", {"displayResult": "a\tb", "obsCodes": ["00601"]}, "02000002"),
    ("display DEL", {"displayResult": "a\x7fb", "obsCodes": ["00601"]}, "02000002"),
    ("code number", {"resultCode": 7, "displayResult": "x", "obsCodes": ["00601"]}, "02000006"),
    ("code 8 chars", {"resultCode": "12345678", "displayResult": "x", "obsCodes": ["00601"]}, "02000003"),
    ("code 7 chars", {"resultCode": "A-_1234", "displayResult": "x", "obsCodes": ["00601"]}, "0200000"),
    ("code space", {"resultCode": "a b", "displayResult": "x", "obsCodes": ["00601"]}, "02000002"),
    ("code accent", {"resultCode": "\u00e9", "displayResult": "x", "obsCodes": ["00601"]}, "02000002"),
    ("code empty", {"resultCode": "", "displayResult": "x", "obsCodes": ["00601"]}, "0200000"),
    ("code null", {"resultCode": None, "displayResult": "x", "obsCodes": ["00601"]}, "0200000"),
    ("obs missing", {"displayResult": "x"}, "02000001"),
    ("obs empty", {"displayResult": "x", "obsCodes": []}, "02000001"),
    ("obs string", {"displayResult": "x", "obsCodes": "00601"}, "02000006"),
    ("obs numbers", {"displayResult": "x", "obsCodes": [601]}, "02000006"),
    ("obs 101", {"displayResult": "x", "obsCodes": ["00601"] * 101}, "02000011"),
    ("obs 100", {"displayResult": "x", "obsCodes": ["00601"] * 100}, "0200000"),
]


@pytest.mark.parametrize("body, code", [c[1:] for c in CREATE_CASES], ids=[c[0] for c in CREATE_CASES])
def test_create_validation(server, body, code):
    vendor(server.api("POST", "12/createObResult", body=body), code)
    assert len(server.results(12)) == (1 if code == "0200000" else 0)


def test_create_unknown_obs_codes_and_duplicate_result_code(server):
    data = vendor(server.api("POST", "12/createObResult", body={"displayResult": "x", "obsCodes": ["00601", "00999", "ABC"]}),
                  "02000007")
    assert "00999" in data["resultDesc"] and "ABC" in data["resultDesc"] and "00601" not in data["resultDesc"]
    create(server, code="007")
    data = vendor(server.api("POST", "12/createObResult", body={"resultCode": "007", "displayResult": "y", "obsCodes": ["00601"]}),
                  "0200001")
    assert data["resultDesc"] == "resultCode 007 already exists"
    assert len(server.results(12)) == 1


def test_update_validation(server):
    def_id = create(server, code="007", obs=["00601"])
    good = {"defId": def_id, "displayResult": "x", "obsCodes": ["00602"]}

    def update(code, **changes):
        body = dict(good)
        body.update(changes)
        body = {k: v for k, v in body.items() if v is not Ellipsis}
        return vendor(server.api("POST", "12/updateObResult", body=body), code)

    update("02000001", defId=Ellipsis)
    update("02000001", displayResult=Ellipsis)
    update("02000001", obsCodes=Ellipsis)
    update("02000006", defId=[1])
    update("02000007", defId="1")
    update("02000003", displayResult="x" * 257)
    update("02000007", obsCodes=["00999"])
    update("02000011", obsCodes=["00601"] * 101)
    update("02000009", resultCode="008")
    assert server.results(12)[0]["obsCodes"] == ["00601"]
    update("0200000", resultCode="007")
    update("0200000", resultCode="")
    update("0200000", defId=int(def_id))
    assert server.results(12)[0]["obsCodes"] == ["00602"]
    vendor(server.api("POST", "12/updateObResult", body="[]"), "02000008")


@pytest.mark.parametrize("vdn", ["0", "10000", "abc", "-1", "1.5"])
def test_vdn_id_validated_for_every_call(server, vdn):
    page = {"pageSize": "10", "pageNum": "1"}
    answers = [
        server.api("GET", vdn + "/queryOBSResultCode", query=page),
        server.api("GET", vdn + "/queryOBSResults", query=page),
        server.api("POST", vdn + "/createObResult", body={"displayResult": "x", "obsCodes": ["00601"]}),
        server.api("POST", vdn + "/updateObResult", body={"defId": "1", "displayResult": "x", "obsCodes": ["00601"]}),
        server.api("DELETE", vdn + "/1645244637/deleteObsResult"),
        server.api("GET", vdn + "/1645244637/queryObsResultDetail"),
    ]
    for resp in answers:
        assert vendor(resp, "02000007")["resultDesc"] == "vdnId must be 1..9999"
    assert [r["call"] for r in server.requests_log()] == [
        "obs_code.list", "ob_result.list", "ob_result.create", "ob_result.update", "ob_result.delete", "ob_result.detail"]


@pytest.mark.parametrize("operation", ["queryOBSResults", "queryOBSResultCode"])
@pytest.mark.parametrize("query, code", [
    ({"pageNum": "1"}, "02000001"),
    ({"pageSize": "", "pageNum": "1"}, "02000001"),
    ({"pageSize": "x", "pageNum": "1"}, "02000006"),
    ({"pageSize": "99999999999", "pageNum": "1"}, "02000006"),
    ({"pageSize": "0", "pageNum": "1"}, "02000005"),
    ({"pageSize": "51", "pageNum": "1"}, "02000005"),
    ({"pageSize": "50"}, "02000001"),
    ({"pageSize": "50", "pageNum": "y"}, "02000006"),
    ({"pageSize": "50", "pageNum": "0"}, "02000007"),
    ({"pageSize": "1", "pageNum": "1"}, "0200000"),
])
def test_paging_parameters(server, operation, query, code):
    vendor(server.api("GET", "12/" + operation, query=query), code)


def test_paging_beyond_fifty_results_in_creation_order(server):
    made = [create(server, display="result %03d" % n, code="c%d" % n) for n in range(60)]
    pages = [list_page(server, 12, 50, n) for n in (1, 2, 3)]
    assert [p["totalCount"] for p in pages] == [60, 60, 60]
    assert [len(p["data"]) for p in pages] == [50, 10, 0]
    assert [d["defId"] for p in pages for d in p["data"]] == made
    assert [d["defId"] for d in list_page(server, 12, 7, 3)["data"]] == made[14:21]


def test_seed_five_thousand_and_page_through(server):
    items = [{"displayResult": "seeded %05d" % n, "resultCode": "s%d" % n, "obsCodes": ["00602", "00601"]} for n in range(5000)]
    started = time.monotonic()
    seeded = server.admin("POST", "results", {"vdnId": 42, "results": items})["defIds"]
    seeding = time.monotonic() - started
    assert len(seeded) == len(set(seeded)) == 5000
    started = time.monotonic()
    listed = []
    for num in range(1, 101):
        page = list_page(server, 42, 50, num)
        assert page["totalCount"] == 5000
        listed.extend(d["defId"] for d in page["data"])
    listing = time.monotonic() - started
    assert listed == seeded
    assert list_page(server, 42, 50, 101)["data"] == []
    assert seeding < 10 and listing < 20, (seeding, listing)
    dump = server.results(42)
    assert dump[0] == {"defId": seeded[0], "displayResult": "seeded 00000", "resultCode": "s0", "obsCodes": ["00601", "00602"]}
    detail = vendor(server.api("GET", "42/%s/queryObsResultDetail" % seeded[-1]))["obResult"]
    assert detail["resultCode"] == "s4999"
    # the API then sees seeded resultCodes as taken
    vendor(server.api("POST", "42/createObResult", body={"resultCode": "s7", "displayResult": "x", "obsCodes": ["00601"]}), "0200001")
    server.admin("POST", "results", {"vdnId": 42, "results": [{"displayResult": "x", "resultCode": "s7"}]}, expect=400)


# ---------------------------------------------------------------- routing and HTTP

def test_unknown_path_wrong_method_and_content_type(server):
    resp = server.api("GET", "12/x/queryEverything")   # 12/queryEverything would be a campaign's detail
    assert resp.status_code == 404 and resp.json()["returnCode"] == "404"
    resp = server.api("GET", "12/createObResult")
    assert resp.status_code == 405 and resp.headers["Allow"] == "POST"
    resp = server.api("POST", "12/createObResult", body={"displayResult": "x", "obsCodes": ["00601"]}, content_type="text/plain")
    assert resp.status_code == 415
    resp = server.session.get(server.url + "/nothing", verify=server.ca)
    assert resp.status_code == 404
    assert [r["call"] for r in server.requests_log()] == ["unknown", "ob_result.create", "ob_result.create", "unknown"]


def test_connection_is_kept_alive(server):
    context = ssl.create_default_context(cafile=server.ca)
    conn = http.client.HTTPSConnection("localhost", server.info["port"], context=context, timeout=10)
    try:
        path = API + "12/queryOBSResults"
        sockets = []
        for _attempt in range(3):
            auth = signer.authorization(ACCESS_KEY, SECRET, "GET", path, query={"pageSize": "5", "pageNum": "1"},
                                        headers={"host": server.host})
            conn.request("GET", path + "?pageSize=5&pageNum=1", headers={"Authorization": auth, "Content-Type": JSON_CT})
            resp = conn.getresponse()
            assert resp.status == 200 and json.loads(resp.read())["returnCode"] == "0200000"
            sockets.append(conn.sock)
        assert sockets[0] is not None and sockets.count(sockets[0]) == 3
    finally:
        conn.close()


# ---------------------------------------------------------------- faults

NEW = {"displayResult": "Faulty", "obsCodes": ["00601"]}


def _faulty_create(server, **kwargs):
    return server.api("POST", "12/createObResult", body=NEW, **kwargs)


@pytest.mark.parametrize("rule, status, created", [
    ({"kind": "status", "status": 502}, 502, False),
    ({"kind": "status", "status": 504, "act": True}, 504, True),
    ({"kind": "html"}, 200, False),
    ({"kind": "html", "act": True}, 200, True),
    ({"kind": "empty"}, 200, False),
    ({"kind": "truncated", "act": True}, 200, True),
    ({"kind": "rate_limit", "retry_after": 2}, 429, False),
    ({"kind": "status", "retry_after": 3, "delay": 0.2}, 503, False),
])
def test_answering_faults(server, rule, status, created):
    rule = dict(rule, call="ob_result.create")
    server.admin("POST", "faults", {"faults": [rule]})
    resp = _faulty_create(server)
    assert resp.status_code == status
    if rule["kind"] in ("status", "html", "rate_limit"):
        assert resp.headers["Content-Type"].startswith("text/html") and "<html>" in resp.text
    assert resp.headers.get("Retry-After") == (str(rule["retry_after"]) if "retry_after" in rule else None)
    if rule["kind"] == "empty":
        assert resp.content == b""
    if rule["kind"] == "truncated":
        with pytest.raises(ValueError):
            json.loads(resp.text)
        assert resp.text.startswith('{"returnCode":"0200000"')
    record = server.last_record()
    assert record["fault"] == rule["kind"] and record["performed"] == created and record["status"] == status
    assert len(server.results(12)) == (1 if created else 0)
    # consumed: the next request is normal
    assert server.admin("GET", "faults")["faults"] == []
    vendor(_faulty_create(server))


def test_truncated_listing_is_half_the_real_answer(server):
    create(server)
    full = server.api("GET", "12/queryOBSResults", query={"pageSize": "50", "pageNum": "1"}).text
    server.admin("POST", "faults", {"faults": [{"call": "ob_result.list", "kind": "truncated"}]})
    cut = server.api("GET", "12/queryOBSResults", query={"pageSize": "50", "pageNum": "1"}).text
    assert cut == full[:len(full) // 2]


@pytest.mark.parametrize("kind, created", [("reset_before", False), ("reset_after", True)])
def test_connection_reset_faults(server, kind, created):
    server.admin("POST", "faults", {"faults": [{"call": "ob_result.create", "kind": kind}]})
    with pytest.raises(requests.exceptions.ConnectionError):
        _faulty_create(server)
    record = server.last_record()
    assert record["fault"] == kind and record["status"] is None and record["performed"] == created
    assert len(server.results(12)) == (1 if created else 0)
    if created:
        assert record["returnCode"] == "0200000" and record["def_id"] == server.results(12)[0]["defId"]


def test_reset_is_an_abrupt_tcp_reset(server):
    server.admin("POST", "faults", {"faults": [{"call": "ob_result.list", "kind": "reset_before"}]})
    context = ssl.create_default_context(cafile=server.ca)
    conn = http.client.HTTPSConnection("localhost", server.info["port"], context=context, timeout=10)
    path = API + "12/queryOBSResults"
    auth = signer.authorization(ACCESS_KEY, SECRET, "GET", path, query={"pageSize": "5", "pageNum": "1"}, headers={"host": server.host})
    try:
        conn.request("GET", path + "?pageSize=5&pageNum=1", headers={"Authorization": auth})
        with pytest.raises(ConnectionResetError):
            conn.getresponse()
    finally:
        conn.close()


def test_slow_fault_writes_after_the_client_gave_up(server):
    server.admin("POST", "faults", {"faults": [{"call": "ob_result.create", "kind": "slow", "delay": 1.2}]})
    with pytest.raises(requests.exceptions.Timeout):
        _faulty_create(server, timeout=0.4)
    assert server.results(12) == []
    deadline = time.monotonic() + 10
    while not server.results(12):
        assert time.monotonic() < deadline, "the slow create never happened"
        time.sleep(0.1)
    record = server.last_record()
    assert record["fault"] == "slow" and record["status"] == 200 and record["returnCode"] == "0200000"


def test_fault_matching_order_and_count(server):
    server.admin("POST", "faults", {"faults": [
        {"call": "ob_result.delete", "kind": "status", "status": 500},
        {"call": "any", "kind": "status", "status": 502, "count": 2},
        {"call": "ob_result.list", "kind": "rate_limit"},
    ]})
    pending = server.admin("GET", "faults")["faults"]
    assert [(f["call"], f["count"]) for f in pending] == [("ob_result.delete", 1), ("any", 2), ("ob_result.list", 1)]
    query = {"pageSize": "5", "pageNum": "1"}
    assert server.api("GET", "12/queryOBSResults", query=query).status_code == 502
    assert server.api("GET", "12/queryOBSResultCode", query=query).status_code == 502
    assert server.api("GET", "12/queryOBSResults", query=query).status_code == 429
    assert server.api("GET", "12/queryOBSResults", query=query).status_code == 200
    assert server.api("DELETE", "12/1/deleteObsResult").status_code == 500
    assert server.admin("GET", "faults")["faults"] == []
    assert [r["fault"] for r in server.requests_log()] == ["status", "status", "rate_limit", None, "status"]
    server.admin("POST", "faults", {"faults": [{"kind": "html", "count": 5}]})
    assert server.admin("DELETE", "faults")["cleared"] == 1
    server.admin("POST", "faults", {"faults": [{"kind": "nonsense"}]}, expect=400)
    server.admin("POST", "faults", {"faults": [{"kind": "status", "call": "everything"}]}, expect=400)


def test_a_fault_with_where_fires_only_for_those_path_parameters(server):
    first, second = create(server, display="Where 1"), create(server, display="Where 2")
    server.admin("POST", "faults", {"faults": [
        {"call": "ob_result.detail", "kind": "status", "status": 502, "where": {"defId": second}}]})
    assert server.admin("GET", "faults")["faults"][0]["where"] == {"defId": second}
    assert vendor(server.api("GET", "12/%s/queryObsResultDetail" % first))["obResult"]["defId"] == first
    assert server.api("DELETE", "12/%s/deleteObsResult" % second).status_code == 200, "another call: no fault"
    assert server.api("GET", "12/%s/queryObsResultDetail" % second).status_code == 502
    assert server.admin("GET", "faults")["faults"] == []
    assert [(r["call"], r["def_id"], r["fault"]) for r in server.requests_log()[-3:]] == [
        ("ob_result.detail", first, None), ("ob_result.delete", second, None), ("ob_result.detail", second, "status")]
    server.admin("POST", "faults", {"faults": [{"kind": "status", "where": {"vdnId": "13"}}]})
    assert server.api("GET", "12/queryOBSResults", query={"pageSize": "5", "pageNum": "1"}).status_code == 200
    assert server.api("GET", "13/queryOBSResults", query={"pageSize": "5", "pageNum": "1"}).status_code == 503


@pytest.mark.parametrize("rule,fragment", [
    ({"kind": "status", "call": "list"}, "fault call must be one of obs_code.list, ob_result.list, ob_result.detail, "
                                         "ob_result.create, ob_result.update, ob_result.delete, campaign.list"),
    ({"kind": "status", "call": "ob_result.list", "where": {"defId": "1"}}, "defId not a path parameter of ob_result.list"),
    ({"kind": "status", "call": "ob_result.detail", "where": {"defId": 1}}, "fault where must be an object"),
    ({"kind": "status", "where": ["defId"]}, "fault where must be an object"),
    ({"kind": "status", "when": {"defId": "1"}}, "unknown fault fields: when"),
])
def test_bad_fault_rules_are_refused_with_the_reason(server, rule, fragment):
    assert fragment in server.admin("POST", "faults", {"faults": [rule]}, expect=400)["error"]


def test_routes_prefer_literal_segments_to_path_parameters():
    templates = sim.compile_routes(sim.ROUTES + (("GET", "/{vdnId}/{campaignId}", "campaign.detail", None),))
    listing = sim.route(API + "12/queryOBSResults", "GET", templates)
    assert (listing.call, listing.params) == ("ob_result.list", {"vdnId": "12"})
    campaign = sim.route(API + "12/C1", "GET", templates)
    assert (campaign.call, campaign.params) == ("campaign.detail", {"vdnId": "12", "campaignId": "C1"})
    detail = sim.route(API + "12/1645244637/queryObsResultDetail", "GET", templates)
    assert detail.params == {"vdnId": "12", "defId": "1645244637"}
    wrong = sim.route(API + "12/queryOBSResults", "POST", templates)
    assert wrong.call == "ob_result.list" and not wrong.fits("POST") and wrong.allowed == ("GET",)
    assert sim.route(API + "12/x/queryOBSResults", "GET", templates).call == "unknown"


# ---------------------------------------------------------------- admin API

def test_admin_api(server):
    assert server.admin("GET", "health")["status"] == "ok"
    assert server.admin("GET", "config") == {"latency_ms": 0, "clock_offset_minutes": 0, "clock_offset_seconds": 0,
                                             "require_signed": None, "total_count": None, "trim_display": False}
    server.admin("POST", "config", {"latency_ms": 150})
    started = time.monotonic()
    vendor(server.api("GET", "12/queryOBSResults", query={"pageSize": "5", "pageNum": "1"}))
    assert time.monotonic() - started >= 0.15
    server.admin("POST", "config", {"latency_ms": "fast"}, expect=400)

    server.admin("PUT", "obs-codes", {"vdnId": 12, "obsCodes": [{"obsCode": "A1", "obsCodeDesc": "Custom"}]})
    codes = vendor(server.api("GET", "12/queryOBSResultCode", query={"pageSize": "50", "pageNum": "1"}))
    assert codes["totalCount"] == 1 and codes["obsCodes"] == [{"obsCode": "A1", "obsCodeDesc": "Custom"}]
    create(server, obs=["A1"])
    vendor(server.api("POST", "12/createObResult", body={"displayResult": "x", "obsCodes": ["00601"]}), "02000007")
    create(server, vdn=13, obs=["00601"])   # other VDNs keep the default catalogue

    log = server.requests_log()
    assert [r["seq"] for r in log] == sorted(r["seq"] for r in log)
    keys = {"seq", "time", "method", "path", "query", "vdn_id", "call", "status", "returnCode", "fault", "auth", "body",
            "signed_headers"}
    assert keys <= set(log[-1])
    assert log[-1]["vdn_id"] == 13 and log[-1]["call"] == "ob_result.create" and json.loads(log[-1]["body"])["obsCodes"] == ["00601"]
    assert server.requests_log(since=log[-2]["seq"]) == [log[-1]]
    assert server.admin("DELETE", "requests")["cleared"] == len(log)
    assert server.requests_log() == []

    server.admin("POST", "reset")
    assert server.admin("GET", "config")["latency_ms"] == 0
    assert server.admin("GET", "results") == {"vdns": {}}
    assert server.admin("GET", "obs-codes", params={"vdn": 12})["obsCodes"][0]["obsCode"] == "00601"
    server.admin("GET", "nothing", expect=404)
    server.admin("PUT", "health", expect=405)
    server.admin("POST", "results", {"vdnId": 0, "results": []}, expect=400)


def test_log_file_matches_admin_log(server):
    create(server)
    server.api("GET", "12/queryOBSResults", query={"pageSize": "5", "pageNum": "1"}, secret="wrong")
    log = server.requests_log()
    with open(server.log_file, encoding="utf-8") as handle:
        lines = [json.loads(line) for line in handle]
    by_seq = dict((r["seq"], r) for r in lines)
    assert [by_seq[r["seq"]] for r in log] == log
    assert log[-1]["auth"] == "signature mismatch" and log[-1]["status"] == 401


def test_secret_never_written(server):
    create(server, code="S1")
    server.api("POST", "12/createObResult", body=NEW, secret="wrong")
    texts = [json.dumps(server.admin("GET", "requests")), json.dumps(server.admin("GET", "config"))]
    for name in os.listdir(server.state_dir):
        with open(os.path.join(server.state_dir, name), encoding="utf-8", errors="replace") as handle:
            texts.append(handle.read())
    assert len(texts) >= 6   # admin log, config, ca.pem, server.json, the log file, the server's output
    cmdline = "/proc/%d/cmdline" % server.proc.pid
    if os.path.exists(cmdline):   # what `ps` shows
        with open(cmdline, "rb") as handle:
            texts.append(handle.read().decode("utf-8", "replace"))
    assert not any(SECRET in text for text in texts)


# ---------------------------------------------------------------- signed-header dialects

THREE = ("content-length", "content-type", "host")
TWO = ("content-type", "host")
STRICT_REASON = "signed headers must be content-length;content-type;host"


def dialect_api(server, method, rel, names, body=None, signed_length=None, send_length=True, **kwargs):
    """A request signing `names` (of content-length, content-type, host) over the header values really sent.

    Content-Length is sent explicitly (0 without a body) unless send_length is false;
    signed_length signs another Content-Length than the one sent.
    """
    text = json.dumps(body, ensure_ascii=False) if body is not None else None
    length = str(len(text.encode("utf-8"))) if text is not None else "0"
    values = {"host": server.host, "content-type": JSON_CT, "content-length": signed_length or length}
    return server.api(method, rel, body=text, signed=dict((name, values[name]) for name in names),
                      send_headers={"Content-Length": length} if send_length else None, **kwargs)


@pytest.mark.parametrize("vector", HEADER_VECTOR_LIST, ids=[v["name"] for v in HEADER_VECTOR_LIST])
def test_verifier_accepts_every_signed_header_vector(vector):
    method, path, pairs, headers, body, authorization = _vector_inputs(vector)
    now = sim.stamp_seconds(vector["timestamp"])
    secrets = {vector["access_key"]: vector["secret_key"]}

    def check(values=headers, **kwargs):
        return sim.verify(method, path, pairs, values, body, authorization, secrets, now, **kwargs)

    assert check() == "ok"
    assert sim.declared_signed_headers(authorization) == ";".join(sorted(headers))
    for name in headers:   # every signed value counts
        changed = dict(headers)
        changed[name] += "0"
        assert check(changed) == "signature mismatch", name
    assert check(dict((k, v) for k, v in headers.items() if k != "content-type")) == "signed header not present: content-type"
    assert check(required=sorted(headers)) == "ok"
    assert check(required=["host"]) == "signed headers must be host"


@pytest.mark.parametrize("names", [THREE, TWO], ids=["three-headers", "two-headers"])
def test_signed_header_dialects_are_accepted(server, names):
    vendor(dialect_api(server, "GET", "12/queryOBSResults", names, query={"pageSize": "5", "pageNum": "1"}))
    body = {"resultCode": "d1", "displayResult": "Nicht erreichbar – später", "obsCodes": ["00601"]}
    def_id = vendor(dialect_api(server, "POST", "12/createObResult", names, body=body))["defId"]
    update = {"defId": def_id, "displayResult": "7: No answer", "obsCodes": ["00602"]}
    vendor(dialect_api(server, "POST", "12/updateObResult", names, body=update))
    assert vendor(dialect_api(server, "GET", "12/%s/queryObsResultDetail" % def_id, names))["obResult"]["displayResult"] == "7: No answer"
    vendor(dialect_api(server, "DELETE", "12/%s/deleteObsResult" % def_id, names))
    assert server.results(12) == []
    log = server.requests_log()
    assert [r["call"] for r in log] == ["ob_result.list", "ob_result.create", "ob_result.update", "ob_result.detail", "ob_result.delete"]
    assert [(r["auth"], r["signed_headers"]) for r in log] == [("ok", ";".join(names))] * 5


def test_signed_content_length_must_be_sent_and_match(server):
    query = {"pageSize": "5", "pageNum": "1"}
    resp = dialect_api(server, "GET", "12/queryOBSResults", THREE, query=query, send_length=False)
    assert resp.status_code == 401 and resp.json()["returnDesc"] == "signed header not present: content-length"
    body = {"displayResult": "Busy", "obsCodes": ["00601"]}
    resp = dialect_api(server, "POST", "12/createObResult", THREE, body=body, signed_length=str(len(json.dumps(body)) + 1))
    assert resp.status_code == 401 and resp.json()["returnDesc"] == "signature mismatch"
    assert server.results(12) == []
    # signed_headers is null without an Authorization, or with one that cannot be parsed
    list_url = server.url + API + "12/queryOBSResults?pageSize=1&pageNum=1"
    server.session.get(list_url, verify=server.ca)
    server.session.get(list_url, headers={"Authorization": "auth-v2/sim-ak/2023-11-14T22:13:20Z/host;;x/abc"}, verify=server.ca)
    log = server.requests_log()
    assert [(r["auth"], r["signed_headers"]) for r in log] == [
        ("signed header not present: content-length", "content-length;content-type;host"),
        ("signature mismatch", "content-length;content-type;host"),
        ("missing authorization", None),
        ("malformed authorization", None),
    ]


def test_strict_mode_requires_exactly_the_configured_signed_headers(server):
    config = server.admin("POST", "config", {"require_signed": ["Host", "content-type", "CONTENT-LENGTH", "host"]})
    assert config["require_signed"] == server.admin("GET", "config")["require_signed"] == list(THREE)
    body = {"displayResult": "Strict", "obsCodes": ["00601"]}
    refused = [
        dialect_api(server, "POST", "12/createObResult", ("host",), body=body),
        dialect_api(server, "POST", "12/createObResult", TWO, body=body),
        server.api("POST", "12/createObResult", body=body, send_headers={"X-Trace": "1"},
                   signed={"host": server.host, "content-type": JSON_CT, "x-trace": "1",
                           "content-length": str(len(json.dumps(body)))}),
    ]
    for resp in refused:
        assert resp.status_code == 401 and resp.json()["returnDesc"] == STRICT_REASON
    assert server.results(12) == []
    log = server.requests_log()
    assert [(r["auth"], r["status"], r["returnCode"]) for r in log] == [(STRICT_REASON, 401, "401")] * 3
    assert [r["signed_headers"] for r in log] == ["host", "content-type;host", "content-length;content-type;host;x-trace"]
    vendor(dialect_api(server, "POST", "12/createObResult", THREE, body=body))
    server.admin("POST", "config", {"require_signed": ["content-type", "host"]})
    resp = dialect_api(server, "GET", "12/queryOBSResults", THREE, query={"pageSize": "5", "pageNum": "1"})
    assert resp.status_code == 401 and resp.json()["returnDesc"] == "signed headers must be content-type;host"
    assert server.admin("POST", "config", {"require_signed": None})["require_signed"] is None
    create(server)   # host only, accepted again
    server.admin("POST", "config", {"require_signed": list(THREE)})
    server.admin("POST", "reset")
    assert server.admin("GET", "config")["require_signed"] is None
    for bad in ("host", ["content-type"], [""], ["host", 1], {"host": True}):
        server.admin("POST", "config", {"require_signed": bad}, expect=400)
    assert len(server.results(12)) == 0


# ---------------------------------------------------------------- the Date header and the clock

IMF_FIXDATE = re.compile(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} "
                         r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT")


def _raw_answer(server, method, path, headers=None):
    """(status, every Date header) of one answer, read with http.client (requests would merge repeated headers)."""
    context = ssl.create_default_context(cafile=server.ca)
    conn = http.client.HTTPSConnection("localhost", server.info["port"], context=context, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        resp.read()
        return resp.status, resp.msg.get_all("Date")
    finally:
        conn.close()


def _clock_offset(date_text):
    """How far ahead of the real clock a Date header is, in seconds."""
    assert IMF_FIXDATE.fullmatch(date_text), date_text
    return email.utils.parsedate_to_datetime(date_text).timestamp() - time.time()


def test_every_answer_has_one_date_from_the_simulator_clock(server):
    assert server.admin("POST", "config", {"clock_offset_seconds": 600})["clock_offset_seconds"] == 600
    server.admin("POST", "faults", {"faults": [{"call": "ob_result.detail", "kind": "status", "status": 502}]})
    query = {"pageSize": "5", "pageNum": "1"}
    list_path = API + "12/queryOBSResults"
    auth = signer.authorization(ACCESS_KEY, SECRET, "GET", list_path, query=query, headers={"host": server.host})
    cases = [
        ("GET", list_path + "?pageSize=5&pageNum=1", {"Authorization": auth}, 200),   # 10 minutes: accepted
        ("GET", list_path + "?pageSize=5&pageNum=1", {}, 401),
        ("GET", "/nothing", {}, 404),
        ("GET", API + "12/1/queryObsResultDetail", {}, 502),
        ("GET", "/__sim/health", {}, 200),
        ("PUT", "/__sim/health", {}, 405),
    ]
    for method, path, headers, status in cases:
        got, dates = _raw_answer(server, method, path, headers)
        assert got == status, path
        assert len(dates) == 1, (path, dates)
        assert abs(_clock_offset(dates[0]) - 600) < 3, (path, dates)
    assert [r["auth"] for r in server.requests_log()][:2] == ["ok", "missing authorization"]


def test_clock_offsets_add_up_and_twenty_minutes_is_refused(server):
    server.admin("POST", "config", {"clock_offset_minutes": 15, "clock_offset_seconds": 300})
    resp = server.api("POST", "12/createObResult", body={"displayResult": "x", "obsCodes": ["00601"]})
    assert resp.status_code == 401 and resp.json()["returnDesc"] == "request time skew exceeds 15 minutes"
    assert abs(_clock_offset(resp.headers["Date"]) - 1200) < 3
    server.admin("POST", "config", {"clock_offset_seconds": -300})
    resp = server.api("POST", "12/createObResult", body={"displayResult": "x", "obsCodes": ["00601"]})
    vendor(resp)
    assert abs(_clock_offset(resp.headers["Date"]) - 600) < 3
    server.admin("POST", "config", {"clock_offset_seconds": "ten"}, expect=400)


# ---------------------------------------------------------------- servers that lie or are hostile

def test_late_fault_answers_at_once_and_writes_later(server):
    server.admin("POST", "faults", {"faults": [{"call": "ob_result.create", "kind": "late", "delay": 1.5}]})
    started = time.monotonic()
    resp = server.api("POST", "12/createObResult", body={"displayResult": "Late", "obsCodes": ["00601"]})
    assert resp.status_code == 504 and resp.headers["Content-Type"].startswith("text/html") and "<html>" in resp.text
    assert time.monotonic() - started < 1.2
    assert list_page(server, 12, 50, 1)["data"] == [] and server.results(12) == []
    record = server.requests_log()[0]
    assert (record["fault"], record["performed"], record["status"], record["returnCode"], record["def_id"]) == \
        ("late", True, 504, None, None)
    while not list_page(server, 12, 50, 1)["data"]:
        assert time.monotonic() - started < 10, "the late create never happened"
        time.sleep(0.1)
    assert time.monotonic() - started >= 1.4
    listing = list_page(server, 12, 50, 1)["data"]
    assert [d["displayResult"] for d in listing] == ["Late"]
    record = server.requests_log()[0]
    assert record["returnCode"] == "0200000" and record["def_id"] == listing[0]["defId"] and record["status"] == 504
    with open(server.log_file, encoding="utf-8") as handle:
        lines = [json.loads(line) for line in handle]
    assert [line for line in lines if line["seq"] == record["seq"]][-1] == record
    # a reset drops a late write that is still pending
    server.admin("POST", "faults", {"faults": [{"call": "ob_result.create", "kind": "late", "delay": 0.5}]})
    assert server.api("POST", "12/createObResult", body={"displayResult": "Dropped", "obsCodes": ["00601"]}).status_code == 504
    server.admin("POST", "reset")
    time.sleep(0.8)
    assert server.results(12) == []


def test_rewrite_fault_changes_top_level_fields_of_the_real_answer(server):
    made = [create(server, display="r%d" % n) for n in range(3)]
    server.admin("POST", "faults", {"faults": [
        {"call": "ob_result.list", "kind": "rewrite", "set": {"totalCount": 100000}, "count": 2},
        {"call": "ob_result.create", "kind": "rewrite", "unset": ["returnCode", "resultCode"]},
        {"call": "ob_result.create", "kind": "rewrite", "set": {"defId": "../../x"}},
        {"call": "ob_result.create", "kind": "rewrite", "act": False, "status": 202, "set": {"extra": [1]}, "unset": ["defId"]},
    ]})
    pending = server.admin("GET", "faults")["faults"]
    assert pending[0]["set"] == {"totalCount": 100000} and pending[0]["unset"] == [] and pending[0]["act"] is True
    first = vendor(server.api("GET", "12/queryOBSResults", query={"pageSize": "2", "pageNum": "1"}))
    second = vendor(server.api("GET", "12/queryOBSResults", query={"pageSize": "2", "pageNum": "2"}))
    assert first["totalCount"] == second["totalCount"] == 100000
    assert [d["defId"] for d in first["data"] + second["data"]] == made
    unset = _faulty_create(server)
    assert unset.status_code == 200
    assert sorted(unset.json()) == ["defId", "resultDesc", "returnDesc"] and unset.json()["resultDesc"] == "createObResult Success!"
    moved = _faulty_create(server)
    assert moved.status_code == 200 and moved.json()["defId"] == "../../x" and moved.json()["returnCode"] == "0200000"
    fake = _faulty_create(server)
    assert fake.status_code == 202 and fake.json() == dict(sim.answer("0200000", "createObResult Success!"), extra=[1])
    stored = [r["defId"] for r in server.results(12)]
    assert len(stored) == 5 and stored[3] == unset.json()["defId"] and "../../x" not in stored
    log = [r for r in server.requests_log() if r["call"] == "ob_result.create"][-3:]
    assert [(r["fault"], r["performed"], r["status"], r["returnCode"]) for r in log] == [
        ("rewrite", True, 200, "0200000"), ("rewrite", True, 200, "0200000"), ("rewrite", False, 202, None)]
    assert log[1]["def_id"] == stored[4]   # the log holds what the server really did
    for rule in ({"kind": "rewrite", "set": ["totalCount"]}, {"kind": "rewrite", "unset": "returnCode"},
                 {"kind": "rewrite", "unset": [1]}, {"kind": "status", "set": {"a": 1}}, {"kind": "late", "unset": ["a"]}):
        server.admin("POST", "faults", {"faults": [rule]}, expect=400)


def test_total_count_config_reports_a_false_total(server):
    seeded = server.admin("POST", "results", {"vdnId": 12, "results": [{"displayResult": "r%d" % n} for n in range(60)]})["defIds"]
    server.admin("POST", "config", {"total_count": 50})
    pages = [list_page(server, 12, 50, n) for n in (1, 2)]
    assert [p["totalCount"] for p in pages] == [50, 50]
    assert [d["defId"] for p in pages for d in p["data"]] == seeded   # page 2 still holds the 10 extra ones
    assert vendor(server.api("GET", "12/queryOBSResultCode", query={"pageSize": "50", "pageNum": "2"}))["totalCount"] == 50
    server.admin("POST", "config", {"total_count": 100000})
    second, third = list_page(server, 12, 50, 2), list_page(server, 12, 50, 3)
    assert [d["defId"] for d in second["data"]] == seeded[50:] and second["totalCount"] == 100000
    assert third["data"] == [] and third["totalCount"] == 100000
    codes = vendor(server.api("GET", "12/queryOBSResultCode", query={"pageSize": "50", "pageNum": "2"}))
    assert codes["totalCount"] == 100000 and len(codes["obsCodes"]) == 10
    vendor(server.api("GET", "12/queryOBSResults", query={"pageSize": "0", "pageNum": "1"}), "02000005")   # errors stay errors
    for bad in (-1, "5", True, 1.5):
        server.admin("POST", "config", {"total_count": bad}, expect=400)
    server.admin("POST", "config", {"total_count": None})
    assert list_page(server, 12, 50, 3)["totalCount"] == 60


def test_trim_display_strips_display_texts(server):
    kept = create(server, display="  as sent  ")
    assert server.admin("POST", "config", {"trim_display": True})["trim_display"] is True
    trimmed = create(server, display=" \u3000Busy line  ")
    update = {"defId": kept, "displayResult": "  Moved  ", "obsCodes": ["00601"]}
    vendor(server.api("POST", "12/updateObResult", body=update))
    assert [(r["defId"], r["displayResult"]) for r in server.results(12)] == [(kept, "Moved"), (trimmed, "Busy line")]
    assert vendor(server.api("GET", "12/%s/queryObsResultDetail" % trimmed))["obResult"]["displayResult"] == "Busy line"
    server.admin("POST", "config", {"trim_display": "yes"}, expect=400)
    server.admin("POST", "reset")
    assert server.admin("GET", "config")["trim_display"] is False
    create(server, display=" x ")
    assert server.results(12)[0]["displayResult"] == " x "


def test_seeding_with_given_def_ids(server):
    ids = server.admin("POST", "results", {"vdnId": 12, "results": [
        {"displayResult": "odd", "defId": "../../../../x/y"},
        {"displayResult": "alpha", "defId": "12a", "resultCode": "A1"},
        {"displayResult": "counted"},
    ]})["defIds"]
    assert ids[:2] == ["../../../../x/y", "12a"] and ids[2].isdigit()
    assert [(d["defId"], d["displayResult"]) for d in list_page(server, 12, 50, 1)["data"]] == \
        [("../../../../x/y", "odd"), ("12a", "alpha"), (ids[2], "counted")]
    assert vendor(server.api("GET", "12/12a/queryObsResultDetail"))["obResult"]["resultCode"] == "A1"
    # a defId is taken on the whole server, and within one request
    for items in ([{"displayResult": "x", "defId": "12a"}],
                  [{"displayResult": "x", "defId": "b"}, {"displayResult": "y", "defId": "b"}],
                  [{"displayResult": "x", "defId": ""}], [{"displayResult": "x", "defId": 7}]):
        server.admin("POST", "results", {"vdnId": 13, "results": items}, expect=400)
    assert server.results(13) == []
    # the counter skips a number a seeded result already holds
    taken = str(int(ids[2]) + 1)
    server.admin("POST", "results", {"vdnId": 13, "results": [{"displayResult": "x", "defId": taken}]})
    assert create(server, vdn=13) == str(int(ids[2]) + 2)
    vendor(server.api("DELETE", "12/12a/deleteObsResult"))
    assert server.admin("POST", "results", {"vdnId": 13, "results": [{"displayResult": "x", "defId": "12a"}]})["defIds"] == ["12a"]


# ---------------------------------------------------------------- hostile answers on the wire

def _raw_exchange(server, method, rel, query=None, body=None, limit=15.0):
    """(the Authorization sent, [(seconds after sending, bytes received), ...]) of one signed request
    (Connection: close) on a raw TLS socket, read until the server closed; limit bounds the whole read."""
    path = API + rel
    body_text = json.dumps(body) if body is not None else None
    auth = signer.authorization(ACCESS_KEY, SECRET, method, path, query=query, headers={"host": server.host},
                                body=body_text)
    data = body_text.encode("utf-8") if body_text is not None else b""
    target = path + ("?" + urlencode(query) if query else "")
    head = ("%s %s HTTP/1.1\r\nHost: %s\r\nAuthorization: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n"
            "Connection: close\r\n\r\n" % (method, target, server.host, auth, JSON_CT, len(data)))
    context = ssl.create_default_context(cafile=server.ca)
    pieces = []
    with socket.create_connection(("localhost", server.info["port"]), timeout=limit) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(head.encode("ascii") + data)
            started = time.monotonic()
            while True:
                piece = tls.recv(1 << 20)
                if not piece:
                    return auth, pieces
                pieces.append((time.monotonic() - started, piece))
                assert time.monotonic() - started < limit, "the answer did not end within %s s" % limit


def _split_answer(data):
    """(status, {lower-case header name: [values]}, body bytes) of a raw HTTP/1.1 answer."""
    head, _sep, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _colon, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    return int(lines[0].split()[1]), headers, body


def _dechunk(body):
    """(the data of a chunked body, whether it ended with its last chunk)."""
    out, rest = [], body
    while rest:
        size_line, sep, rest = rest.partition(b"\r\n")
        if not sep:
            return b"".join(out), False
        size = int(size_line, 16)
        if size == 0:
            return b"".join(out), True
        out.append(rest[:size])
        rest = rest[size + 2:]
    return b"".join(out), False


LISTING = ("GET", "12/queryOBSResults", {"pageSize": "5", "pageNum": "1"})


def test_trickle_headers_sends_the_head_a_byte_at_a_time_and_gives_up(server):
    create(server)
    server.admin("POST", "faults", {"faults": [{"call": "ob_result.list", "kind": "trickle_headers", "delay": 0.3}]})
    assert server.admin("GET", "faults")["faults"][0]["delay"] == 0.3
    _auth, pieces = _raw_exchange(server, *LISTING)
    data = b"".join(piece for _at, piece in pieces)
    assert all(len(piece) == 1 for _at, piece in pieces), "one byte at a time"
    assert all(at >= 0.3 * number - 0.05 for number, (at, _piece) in enumerate(pieces, 1)), "not faster than 0.3 s a byte"
    assert data.startswith(b"HTTP/1.1 200") and b"\r\n\r\n" not in data
    assert sim.TRICKLE_SECONDS - 1 <= pieces[-1][0] <= sim.TRICKLE_SECONDS + 1.5   # then the server gave up
    record = server.last_record()
    assert (record["fault"], record["performed"], record["status"], record["returnCode"]) == \
        ("trickle_headers", True, 200, "0200000")


def test_trickle_body_sends_the_head_at_once_then_the_body_a_byte_at_a_time(server):
    server.admin("POST", "faults", {"faults": [{"call": "ob_result.create", "kind": "trickle_body", "delay": 0.01}]})
    _auth, pieces = _raw_exchange(server, "POST", "12/createObResult", body=NEW)
    status, headers, body = _split_answer(b"".join(piece for _at, piece in pieces))
    assert pieces[0][0] < 1 and pieces[0][1].endswith(b"\r\n\r\n"), "the whole head in one piece, at once"
    assert status == 200 and headers["content-length"] == [str(len(body))] and len(headers["date"]) == 1
    assert len(pieces) == 1 + len(body) and pieces[-1][0] >= len(body) * 0.01
    stored = server.results(12)
    assert json.loads(body)["defId"] == stored[0]["defId"] and len(stored) == 1   # the server acted
    server.admin("POST", "faults", {"faults": [{"call": "ob_result.create", "kind": "trickle_body", "delay": 0.01,
                                                "act": False}]})
    _auth, pieces = _raw_exchange(server, "POST", "12/createObResult", body=NEW)
    assert json.loads(_split_answer(b"".join(p for _at, p in pieces))[2]) == sim.answer("0200000", "createObResult Success!")
    assert len(server.results(12)) == 1 and server.last_record()["performed"] is False


def test_endless_body_is_chunked_and_stops_at_the_servers_bound(server):
    create(server)
    server.admin("POST", "faults", {"faults": [{"call": "ob_result.list", "kind": "endless_body"}]})
    _auth, pieces = _raw_exchange(server, *LISTING, limit=sim.ENDLESS_SECONDS + 5)
    status, headers, body = _split_answer(b"".join(piece for _at, piece in pieces))
    assert status == 200 and headers["transfer-encoding"] == ["chunked"] and "content-length" not in headers
    data, ended = _dechunk(body)
    assert not ended, "an endless body has no last chunk"
    assert data.startswith(b'{"returnCode":"0200000"') and b',"padding":"xxxxxxxx' in data
    assert sim.OVERSIZED_BYTES < len(data) <= sim.ENDLESS_BYTES + 65536
    assert pieces[-1][0] <= sim.ENDLESS_SECONDS + 1


def test_oversized_body_is_valid_json_past_eight_mib(server):
    create(server)
    server.admin("POST", "faults", {"faults": [{"call": "ob_result.list", "kind": "oversized_body"}]})
    _auth, pieces = _raw_exchange(server, *LISTING)
    status, headers, body = _split_answer(b"".join(piece for _at, piece in pieces))
    assert status == 200 and headers["content-length"] == [str(len(body))] and len(body) > 9 * 1024 * 1024
    answer = json.loads(body)
    assert answer["returnCode"] == "0200000" and len(answer["data"]) == 1 and len(answer["padding"]) == sim.OVERSIZED_BYTES


@pytest.mark.parametrize("kind, tail", [
    ("deep_nesting", b',"extra":' + b"[" * 100000 + b"]" * 100000 + b"}"),
    ("huge_number", b',"extraNumber":' + b"9" * 5000 + b"}"),
    ("nan", b',"extraNumber":NaN}'),
    ("undecodable", b',"extraText":"caf\xff"}'),
    ("surrogate", b',"extraText":"\\ud800"}'),
])
def test_body_faults_mangle_the_real_answer_of_a_write_the_server_did(server, kind, tail):
    server.admin("POST", "faults", {"faults": [{"call": "ob_result.create", "kind": kind}]})
    _auth, pieces = _raw_exchange(server, "POST", "12/createObResult", body=NEW)
    status, headers, body = _split_answer(b"".join(piece for _at, piece in pieces))
    stored = server.results(12)
    assert len(stored) == 1, "performed: act is true by default"
    assert status == 200 and headers["content-type"] == [sim.JSON_TYPE] and body.endswith(tail)
    real = json.loads(body[:-len(tail)] + b"}")   # the real answer, one member added
    assert real == dict(sim.answer("0200000", "createObResult Success!"), defId=stored[0]["defId"])
    record = server.last_record()
    assert (record["fault"], record["performed"], record["returnCode"], record["def_id"]) == \
        (kind, True, "0200000", stored[0]["defId"])
    server.admin("POST", "faults", {"faults": [{"call": "ob_result.create", "kind": kind, "act": False}]})
    body = _split_answer(b"".join(piece for _at, piece in _raw_exchange(server, "POST", "12/createObResult", body=NEW)[1]))[2]
    assert body.endswith(tail) and b'"createObResult Success!"' in body and b"defId" not in body
    assert len(server.results(12)) == 1 and server.last_record()["performed"] is False


def test_bad_date_is_the_only_date_and_the_answer_is_normal(server):
    create(server)
    server.admin("POST", "faults", {"faults": [{"call": "ob_result.list", "kind": "bad_date"}]})
    _auth, pieces = _raw_exchange(server, *LISTING)
    status, headers, body = _split_answer(b"".join(piece for _at, piece in pieces))
    assert status == 200 and headers["date"] == [sim.BAD_DATE] == ["Fri, 31 Dec 99999 23:59:59 GMT"]
    assert json.loads(body)["returnCode"] == "0200000" and len(json.loads(body)["data"]) == 1
    _auth, pieces = _raw_exchange(server, *LISTING)
    assert IMF_FIXDATE.fullmatch(_split_answer(b"".join(piece for _at, piece in pieces))[1]["date"][0])


def test_echo_auth_quotes_the_requests_authorization_but_the_log_never_holds_it(server):
    server.admin("POST", "faults", {"faults": [
        {"call": "ob_result.create", "kind": "echo_auth"},
        {"call": "ob_result.create", "kind": "echo_auth", "status": 502, "act": False}]})
    auth, pieces = _raw_exchange(server, "POST", "12/createObResult", body=NEW)
    status, _headers, body = _split_answer(b"".join(piece for _at, piece in pieces))
    answer = json.loads(body)
    assert status == 200 and answer["returnCode"] == "0200000" and answer["defId"] == server.results(12)[0]["defId"]
    assert answer["returnDesc"] == answer["resultDesc"] == \
        "createObResult Success! (the request had Authorization: %s)" % auth
    auth, pieces = _raw_exchange(server, "POST", "12/createObResult", body=NEW)
    status, headers, body = _split_answer(b"".join(piece for _at, piece in pieces))
    assert status == 502 and headers["content-type"] == [sim.HTML_TYPE] and b"<html>" in body
    assert ("Authorization: %s" % auth).encode("ascii") in body and len(server.results(12)) == 1
    signature = auth.rsplit("/", 1)[1]
    assert len(signature) == 64
    assert [(r["fault"], r["performed"], r["status"]) for r in server.requests_log()] == \
        [("echo_auth", True, 200), ("echo_auth", False, 502)]
    for text in (json.dumps(server.requests_log()), open(server.log_file, encoding="utf-8").read()):
        assert signature not in text


@pytest.mark.parametrize("rule, fragment", [
    ({"kind": "trickle_headers", "delay": 0}, "fault delay of trickle_headers (seconds per byte) must be more than 0"),
    ({"kind": "trickle_body", "delay": 6}, "at most 5"),
    ({"kind": "nan", "act": "yes"}, "fault act must be true or false"),
    ({"kind": "echo_auth", "set": {"returnDesc": "x"}}, "only allowed with kind rewrite"),
    ({"kind": "bad_date", "status": 600}, "fault status must be 100..599"),
])
def test_bad_rules_of_the_hostile_kinds_are_refused(server, rule, fragment):
    assert fragment in server.admin("POST", "faults", {"faults": [rule]}, expect=400)["error"]


def test_hostile_kinds_default_to_acting(server):
    kinds = ["trickle_headers", "trickle_body", "endless_body", "oversized_body", "deep_nesting", "huge_number", "nan",
             "bad_date", "undecodable", "surrogate", "echo_auth"]
    server.admin("POST", "faults", {"faults": [{"kind": kind} for kind in kinds]})
    pending = server.admin("GET", "faults")["faults"]
    assert [(r["kind"], r["act"], r["status"]) for r in pending] == [(kind, True, 200) for kind in kinds]
    assert [r["delay"] for r in pending[:3]] == [0.25, 0.25, 0]


def _concurrently(count, work):
    """work(session) in `count` threads released together; the answers, in thread order."""
    barrier = threading.Barrier(count)
    answers = [None] * count

    def run(index):
        session = requests.Session()
        session.trust_env = False
        try:
            barrier.wait(10)
            answers[index] = work(session)
        finally:
            session.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return answers


def test_concurrent_creates_race_like_on_a_real_server(server):
    body = {"resultCode": "RACE", "displayResult": "Race", "obsCodes": ["00601"]}
    answers = _concurrently(10, lambda session: server.api("POST", "12/createObResult", body=body, session=session).json())
    assert sorted(a["returnCode"] for a in answers) == ["0200000"] + ["0200001"] * 9
    assert all(a["resultDesc"] == "resultCode RACE already exists" for a in answers if a["returnCode"] != "0200000")
    assert len(server.results(12)) == 1
    body = {"displayResult": "Same text", "obsCodes": ["00601"]}
    answers = _concurrently(10, lambda session: server.api("POST", "12/createObResult", body=body, session=session).json())
    assert [a["returnCode"] for a in answers] == ["0200000"] * 10
    assert len(set(a["defId"] for a in answers)) == 10
    assert [r["displayResult"] for r in server.results(12)].count("Same text") == 10


# ---------------------------------------------------------------- life cycle (servers of their own)

def test_lifetime_and_start_options(tmp_path):
    faults = json.dumps([{"call": "any", "kind": "status", "status": 502}])
    running = Running(tmp_path, ["--lifetime", "2", "--faults", faults, "--access-key", "AK-2", "--default-obs-codes", "3"])
    try:
        assert running.info["access_key"] == "AK-2" and running.info["pid"] == running.proc.pid
        with open(running.info["ca_path"], encoding="utf-8") as handle:
            assert handle.read().startswith("-----BEGIN CERTIFICATE-----")
        query = {"pageSize": "50", "pageNum": "1"}
        assert running.api("GET", "1/queryOBSResultCode", query=query, access_key="AK-2").status_code == 502
        codes = vendor(running.api("GET", "1/queryOBSResultCode", query=query, access_key="AK-2"))
        assert [c["obsCode"] for c in codes["obsCodes"]] == ["00601", "00602", "00603"]
        assert running.proc.wait(15) == 0
        assert not os.path.exists(running.info_path)
        assert "lifetime" in running.output()
    finally:
        running.stop()


def test_self_signed_certificate_is_refused_and_sigterm_stops(tmp_path):
    running = Running(tmp_path, ["--self-signed"])
    try:
        with pytest.raises(requests.exceptions.SSLError):
            running.admin("GET", "health")
        assert running.stop() == 0
        assert not os.path.exists(running.info_path)
    finally:
        running.stop()


def test_admin_shutdown_and_secret_file(tmp_path):
    secret_file = tmp_path / "sk"
    secret_file.write_text(SECRET + "\n")
    running = Running(tmp_path / "state", ["--secret-key-file", str(secret_file)], env={sim.SECRET_ENV: ""})
    try:
        vendor(running.api("GET", "1/queryOBSResults", query={"pageSize": "1", "pageNum": "1"}))
        assert running.admin("POST", "shutdown")["status"] == "shutting down"
        assert running.proc.wait(15) == 0
        assert not os.path.exists(running.info_path)
    finally:
        running.stop()


def test_refuses_to_start_without_a_secret(tmp_path):
    env = dict(os.environ)
    env.pop(sim.SECRET_ENV, None)
    proc = subprocess.run([sys.executable, SIMULATOR, "--state-dir", str(tmp_path)], env=env, capture_output=True, timeout=30, check=False)
    assert proc.returncode == 2 and b"no secret key" in proc.stderr
    assert not os.path.exists(str(tmp_path / "server.json"))


def test_path_prefix_and_start_config_options(tmp_path):
    running = Running(tmp_path, ["--path-prefix", "/my%20gw", "--require-signed", "Content-Length,content-type,HOST",
                                 "--clock-offset-minutes", "1", "--clock-offset-seconds", "30",
                                 "--total-count", "7", "--trim-display"])
    try:
        port = running.info["port"]
        assert running.url == "https://localhost:%d/my%%20gw" % port and running.prefix == "/my%20gw"
        assert running.info["admin_url"] == "https://localhost:%d/__sim" % port
        start = {"latency_ms": 0, "clock_offset_minutes": 1, "clock_offset_seconds": 30,
                 "require_signed": list(THREE), "total_count": 7, "trim_display": True}
        assert running.admin("GET", "config") == start
        query = {"pageSize": "5", "pageNum": "1"}
        # strict from the start
        resp = running.api("GET", "1/queryOBSResults", query=query)
        assert resp.status_code == 401 and resp.json()["returnDesc"] == STRICT_REASON
        assert abs(_clock_offset(resp.headers["Date"]) - 90) < 3
        # signed over the full raw path, prefix included, and sent exactly so
        page = vendor(dialect_api(running, "GET", "1/queryOBSResults", THREE, query=query))
        assert page["totalCount"] == 7 and page["data"] == []
        def_id = vendor(dialect_api(running, "POST", "1/createObResult", THREE,
                                    body={"displayResult": " Busy ", "obsCodes": ["00601"]}))["defId"]
        assert running.results(1) == [{"defId": def_id, "displayResult": "Busy", "resultCode": "", "obsCodes": ["00601"]}]
        # a signature over the path without the prefix does not match the path received
        path = API + "1/queryOBSResults"
        values = {"host": running.host, "content-type": JSON_CT, "content-length": "0"}
        headers = {"Authorization": signer.authorization(ACCESS_KEY, SECRET, "GET", path, query=query, headers=values),
                   "Content-Type": JSON_CT, "Content-Length": "0"}
        resp = running.session.get(running.url + path, params=query, headers=headers, verify=running.ca, timeout=10)
        assert resp.status_code == 401 and resp.json()["returnDesc"] == "signature mismatch"
        # without the exact raw prefix: 404, however well signed
        for prefix in ("", "/my%20GW", "/my%20gw2"):
            assert dialect_api(running, "GET", "1/queryOBSResults", THREE, query=query, prefix=prefix).status_code == 404
        log = running.requests_log()
        assert [(r["path"], r["call"], r["status"]) for r in log] == [
            ("/my%20gw" + path, "ob_result.list", 401), ("/my%20gw" + path, "ob_result.list", 200),
            ("/my%20gw" + API + "1/createObResult", "ob_result.create", 200), ("/my%20gw" + path, "ob_result.list", 401),
            (path, "unknown", 404), ("/my%20GW" + path, "unknown", 404), ("/my%20gw2" + path, "unknown", 404)]
        running.admin("POST", "config", {"require_signed": None, "total_count": None, "trim_display": False})
        running.admin("POST", "reset")
        assert running.admin("GET", "config") == start
    finally:
        running.stop()


@pytest.mark.parametrize("option, message", [
    (["--path-prefix", "gw"], b"--path-prefix must look like"),
    (["--path-prefix", "/gw/"], b"--path-prefix must look like"),
    (["--path-prefix", "/__sim"], b"--path-prefix must look like"),
    (["--require-signed", "content-type"], b"require_signed must include host"),
    (["--total-count", "-1"], b"must not be negative"),
])
def test_refuses_bad_start_options(tmp_path, option, message):
    env = dict(os.environ, **{sim.SECRET_ENV: SECRET})
    proc = subprocess.run([sys.executable, SIMULATOR, "--state-dir", str(tmp_path)] + option, env=env,
                          capture_output=True, timeout=30, check=False)
    assert proc.returncode == 2 and message in proc.stderr, proc.stderr
    assert not os.path.exists(str(tmp_path / "server.json"))
