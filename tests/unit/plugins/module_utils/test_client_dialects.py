# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The signed-header dialects through the client: the vendor's known answers, byte for byte as sent."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import json
import os

import pytest
import responses

from ansible_collections.huawei.isales.plugins.module_utils import _api_ob_results as api
from ansible_collections.huawei.isales.plugins.module_utils import _client as client_mod
from ansible_collections.huawei.isales.plugins.module_utils import signer
from ansible_collections.huawei.isales.plugins.module_utils._client import IsalesClient
from ansible_collections.huawei.isales.plugins.module_utils._errors import IsalesError

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")
with open(os.path.join(FIXTURES, "auth-v2-vectors-signed-headers.json"), "rb") as handle:
    VECTORS = json.loads(handle.read().decode("utf-8"))["vectors"]
UTC = datetime.timezone.utc
OK = {"returnCode": "0200000", "resultCode": "0200000", "returnDesc": "ok", "resultDesc": "ok"}
API = "/rest/isales/v1/openapi/campaigns/"


def when(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def vector_call(client, vector):
    """Make the call the vector describes through the client's public methods."""
    parts = vector["uri"][len(API):].split("/")
    vdn = int(parts[0])
    body = json.loads(vector["body"]) if vector["body"] else None
    operation = parts[-1]
    if operation == "createObResult":
        return api.create_result(client, vdn, body["displayResult"], body["obsCodes"], result_code=body.get("resultCode"))
    if operation == "updateObResult":
        return api.update_result(client, vdn, body["defId"], body["displayResult"], body["obsCodes"])
    if operation == "deleteObsResult":
        return api.delete_result(client, vdn, parts[1])
    if operation == "queryObsResultDetail":
        return api.get_result(client, vdn, parts[1])
    assert operation == "queryOBSResults"
    return client.send(api.LIST.call, {"vdn_id": vdn}, query=vector["query"])[0]


def test_there_are_six_vendor_vectors():
    assert len(VECTORS) == 6
    assert set(";".join(sorted(v["signed_headers"])) for v in VECTORS) == {
        "content-length;content-type;host", "content-type;host"}


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_client_sends_what_the_vendor_signer_signs(vector):
    names = sorted(vector["signed_headers"])
    host = vector["signed_headers"]["host"]
    client = IsalesClient("https://%s" % host, vector["access_key"], vector["secret_key"],
                          signed_headers=names, clock=lambda: when(vector["timestamp"]), sleep=lambda s: None)
    with responses.RequestsMock() as rsps:
        rsps.add(vector["method"], "https://%s%s" % (host, vector["uri"]),
                 json=dict(OK, defId="1645244637", totalCount=0, data=[],
                           obResult={"defId": "1645244637", "displayResult": "x", "resultMapList": []}))
        vector_call(client, vector)
        sent = rsps.calls[0].request
    assert sent.headers["Authorization"] == vector["authorization"]
    assert sent.headers["Host"] == host
    assert sent.headers["Content-Type"] == vector["signed_headers"]["content-type"]
    body = sent.body or b""
    assert body == (vector["body"] or "").encode("utf-8"), "the body sent is the body signed"
    if "content-length" in vector["signed_headers"]:
        assert sent.headers["Content-Length"] == vector["signed_headers"]["content-length"] == str(len(body))


@pytest.mark.parametrize("given,expected", [
    (["host"], ("host",)),
    (["Host", "CONTENT-TYPE"], ("content-type", "host")),
    (["host", "content-length", "content-type", "host", " Content-Type "], ("content-length", "content-type", "host")),
])
def test_names_in_any_case_order_and_repetition(given, expected):
    assert client_mod.signed_headers_problem(given) is None
    assert client_mod.normalize_signed_headers(given) == expected


@pytest.mark.parametrize("given,fragment", [
    (["content-type"], "must include host"),
    ([], "must include host"),
    (["host", "x-date"], "may only name content-length, content-type, host; got 'x-date'"),
    (["host", "date", "accept"], "got 'accept', 'date'"),
])
def test_bad_lists_name_the_option(given, fragment):
    problem = client_mod.signed_headers_problem(given)
    assert problem.startswith("signed_headers ") and fragment in problem
    with pytest.raises(IsalesError) as info:
        IsalesClient("https://h", "ak", "sk", signed_headers=given)
    assert info.value.kind == "config" and fragment in info.value.msg


def test_a_body_less_request_sends_and_signs_content_length_zero():
    client = IsalesClient("https://h:1", "ak", "sk", signed_headers=["content-length", "content-type", "host"],
                          clock=lambda: when("2026-01-01T00:00:00Z"))
    with responses.RequestsMock() as rsps:
        rsps.add("GET", "https://h:1" + API + "3/7/queryObsResultDetail", json=dict(OK, obResult={"defId": "7", "displayResult": "x"}))
        api.get_result(client, 3, "7")
        sent = rsps.calls[0].request
    assert sent.headers["Content-Length"] == "0"
    expected = signer.authorization(
        "ak", "sk", "GET", API + "3/7/queryObsResultDetail",
        headers={"host": "h:1", "content-type": client_mod.CONTENT_TYPE, "content-length": "0"},
        timestamp=when("2026-01-01T00:00:00Z"))
    assert sent.headers["Authorization"] == expected


def test_the_default_dialect_signs_host_only():
    client = IsalesClient("https://h", "ak", "sk", clock=lambda: when("2026-01-01T00:00:00Z"))
    with responses.RequestsMock() as rsps:
        rsps.add("GET", "https://h" + API + "3/7/queryObsResultDetail", json=dict(OK, obResult={"defId": "7", "displayResult": "x"}))
        api.get_result(client, 3, "7")
        sent = rsps.calls[0].request
    assert "/host/" in sent.headers["Authorization"]
    assert "Content-Length" not in sent.headers


def test_401_names_the_third_cause_and_the_server_clock():
    signed_at = when("2026-11-27T12:00:00Z")
    client = IsalesClient("https://h", "ak", "S3cr3t", clock=lambda: signed_at)
    with responses.RequestsMock() as rsps:
        rsps.add("GET", "https://h" + API + "3/queryOBSResults", status=401,
                 headers={"Date": "Fri, 27 Nov 2026 12:20:30 GMT"},
                 json={"returnCode": "401", "returnDesc": "request time skew exceeds 15 minutes"})
        with pytest.raises(IsalesError) as info:
            api.list_results(client, 3)
    err = info.value
    for part in ("access_key", "secret_key", "15 minutes", "signed at 2026-11-27T12:00:00Z UTC",
                 # a Date is cut to the second: the estimate adds half a second (and half the latency)
                 "the server's clock said 2026-11-27T12:20:30Z UTC, 1231 s ahead",
                 "signed_headers: [content-length, content-type, host]", "ISALES_SIGNED_HEADERS",
                 "huawei.isales.isales_server_info with probe_signing: true"):
        assert part in err.msg
    result = err.to_result()
    assert result["clock_skew_seconds"] == 1231 and result["server_time"] == "2026-11-27T12:20:30Z"
    assert "S3cr3t" not in json.dumps(result)


def test_401_with_the_three_header_dialect_suggests_host_alone():
    client = IsalesClient("https://h", "ak", "sk", signed_headers=["content-length", "content-type", "host"])
    with responses.RequestsMock() as rsps:
        rsps.add("GET", "https://h" + API + "3/queryOBSResults", status=401, json={"returnCode": "401"})
        with pytest.raises(IsalesError) as info:
            api.list_results(client, 3)
    assert "other signed headers than content-length;content-type;host — try signed_headers: [host]" in info.value.msg
    assert "server's clock said" not in info.value.msg, "no Date header, no server time"


@pytest.mark.parametrize("value,expected", [
    ("Sun, 06 Nov 1994 08:49:37 GMT", "1994-11-06T08:49:37Z"),
    ("Sunday, 06-Nov-94 08:49:37 GMT", "1994-11-06T08:49:37Z"),
    ("not a date", None),
    ("", None),
    (None, None),
])
def test_server_time_from_the_date_header(value, expected):
    moment = client_mod.server_time(value)
    assert (signer.format_timestamp(moment) if moment else None) == expected
