# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""isales_server_info: every finding, and never a failure except for bad options."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import email.utils
import json
import time

import pytest
import requests
import responses

from ansible_collections.huawei.isales.plugins.module_utils import signer
from ansible_collections.huawei.isales.plugins.modules import isales_server_info

SECRET = "unit-secret-server-info-42"
BASE = "https://isales.example.com:28443"
LIST = BASE + "/rest/isales/v1/openapi/campaigns/12/queryOBSResults"
OK = {"returnCode": "0200000", "resultCode": "0200000", "returnDesc": "queryOBSResults Success!",
      "resultDesc": "queryOBSResults Success!", "totalCount": 0, "data": []}
REJECTED = {"returnCode": "401", "returnDesc": "signature mismatch"}


def http_date(offset=0.0):
    return email.utils.formatdate(time.time() + offset, usegmt=True)


def dialect_of(request):
    """The signedHeaders field of a request's Authorization."""
    return request.headers["Authorization"].split("/")[3]


@pytest.fixture
def run(run_module):
    def runner(**extra):
        args = dict(url=BASE, access_key="ak-visible", secret_key=SECRET, vdn_id=12)
        args.update(extra)
        result, failed = run_module(isales_server_info.main, args)
        assert SECRET not in json.dumps(result)
        return result, failed
    return runner


def accept_only(dialect):
    """A callback that accepts requests signed with one signed-header list, 401 for the others."""
    def answer(request):
        if dialect_of(request) == dialect:
            return 200, {"Date": http_date()}, json.dumps(OK)
        return 401, {"Date": http_date()}, json.dumps(REJECTED)
    return answer


def test_a_working_connection(mocked, run):
    mocked.add(responses.GET, LIST, json=OK, headers={"Date": http_date(2)})
    result, failed = run()
    assert not failed and not result["changed"]
    assert result["reachable"] is True and result["tls"] == "verified" and result["http_status"] == 200
    assert result["auth"] == "accepted" and result["returnCode"] == "0200000"
    assert result["signed_headers"] == ["host"] and result["access_key"] == "ak-visible"
    assert abs(result["clock_skew_seconds"] - 2) <= 1 and result["server_time"].endswith("Z")
    assert result["latency_ms"] >= 0 and result["api_requests"] == 1
    assert result["accepted_signed_headers"] is None and result["recommended_signed_headers"] is None
    assert "accepted" in result["msg"]
    sent = mocked.calls[0].request
    assert sent.url.endswith("queryOBSResults?pageSize=1&pageNum=1") and sent.method == "GET"


def test_a_rejected_signature_is_a_finding_not_a_failure(mocked, run):
    mocked.add(responses.GET, LIST, status=401, json=REJECTED, headers={"Date": http_date()})
    result, failed = run(retries=5)
    assert not failed
    assert result["auth"] == "rejected" and result["http_status"] == 401 and result["returnDesc"] == "signature mismatch"
    assert "probe_signing: true" in result["msg"]
    assert len(mocked.calls) == 1, "a finding is about one request: never retried"


def test_an_unknown_vdn_still_proves_the_signature_accepted(mocked, run):
    mocked.add(responses.GET, LIST, json={"returnCode": "02000007", "returnDesc": "vdnId must be 1..9999"})
    result, failed = run()
    assert not failed and result["auth"] == "accepted" and result["returnCode"] == "02000007"


def test_a_gateway_error_does_not_tell(mocked, run):
    mocked.add(responses.GET, LIST, status=503, body="<html>503</html>")
    result, failed = run()
    assert not failed and result["auth"] == "unknown" and result["http_status"] == 503
    assert len(mocked.calls) == 1


def test_tls_failure_is_reported_with_its_reason(mocked, run):
    mocked.add(responses.GET, LIST, body=requests.exceptions.SSLError("certificate verify failed: unable to get local issuer"))
    result, failed = run(probe_signing=True)
    assert not failed
    assert result["tls"].startswith("failed: ") and "certificate verify failed" in result["tls"]
    assert result["reachable"] is True and result["auth"] is None and result["http_status"] is None
    assert "ca_path" in result["msg"]
    assert len(mocked.calls) == 1, "no point probing the other dialects over a failing TLS"
    assert result["accepted_signed_headers"] == [] and result["recommended_signed_headers"] is None


def test_unreachable_server(mocked, run):
    mocked.add(responses.GET, LIST, body=requests.exceptions.ConnectionError("Connection refused"))
    result, failed = run()
    assert not failed and result["reachable"] is False and result["tls"] is None and result["auth"] is None
    assert "cannot reach" in result["msg"] and "Connection refused" in result["msg"]


def test_validate_certs_false_is_reported_as_disabled(mocked, run):
    mocked.add(responses.GET, LIST, json=OK)
    result, _failed = run(validate_certs=False)
    assert result["tls"] == "disabled"
    assert mocked.calls[0].request.req_kwargs["verify"] is False


@pytest.mark.parametrize("offset,warned,refused", [(120, False, False), (-400, True, False), (1000, True, True)])
def test_clock_skew_is_reported_and_warned_about(mocked, run, offset, warned, refused):
    mocked.add(responses.GET, LIST, json=OK, headers={"Date": http_date(offset)})
    result, _failed = run()
    assert abs(result["clock_skew_seconds"] - offset) <= 1
    warnings = " ".join(result.get("warnings", []))
    assert ("15 minutes" in warnings) is warned
    assert ("refuses every request now" in warnings) is refused
    assert ("behind" if offset < 0 else "ahead of") in result["msg"]


def test_probe_finds_the_three_header_dialect(mocked, run):
    mocked.add_callback(responses.GET, LIST, callback=accept_only("content-length;content-type;host"))
    result, failed = run(probe_signing=True)
    assert not failed
    assert [dialect_of(call.request) for call in mocked.calls] == [
        "host", "content-type;host", "content-length;content-type;host"]
    assert result["api_requests"] == 3
    assert result["accepted_signed_headers"] == [["content-length", "content-type", "host"]]
    assert result["recommended_signed_headers"] == ["content-length", "content-type", "host"]
    assert "set signed_headers: [content-length, content-type, host]" in result["msg"]
    assert "ISALES_SIGNED_HEADERS=content-length,content-type,host" in result["msg"]
    assert [p["auth"] for p in result["probes"]] == ["rejected", "rejected", "accepted"]
    # The top-level findings describe the configured dialect's read (host, rejected).
    assert result["signed_headers"] == ["host"] and result["auth"] == "rejected"


def test_probe_when_the_configured_dialect_works(mocked, run):
    mocked.add_callback(responses.GET, LIST, callback=accept_only("content-type;host"))
    result, _failed = run(probe_signing=True, signed_headers=["Content-Type", "host"])
    assert result["accepted_signed_headers"] == [["content-type", "host"]]
    assert "nothing to change" in result["msg"] and result["auth"] == "accepted"


def test_probe_with_a_wrong_secret_accepts_nothing(mocked, run):
    mocked.add(responses.GET, LIST, status=401, json=REJECTED)
    result, failed = run(probe_signing=True)
    assert not failed and len(mocked.calls) == 3
    assert result["accepted_signed_headers"] == [] and result["recommended_signed_headers"] is None
    assert "rejected the signature of every documented dialect" in result["msg"]


def test_signed_headers_come_from_the_environment(mocked, run, monkeypatch):
    monkeypatch.setenv("ISALES_SIGNED_HEADERS", "content-length,CONTENT-TYPE,host")
    mocked.add(responses.GET, LIST, json=OK)
    result, _failed = run()
    sent = mocked.calls[0].request
    assert dialect_of(sent) == "content-length;content-type;host" and sent.headers["Content-Length"] == "0"
    assert result["signed_headers"] == ["content-length", "content-type", "host"]


@pytest.mark.parametrize("extra,fragment", [
    (dict(signed_headers=["content-type"]), "signed_headers must include host"),
    (dict(signed_headers=["host", "date"]), "signed_headers may only name"),
    (dict(vdn_id=0), "vdn_id"),
    (dict(url="ftp://x"), "url"),
])
def test_bad_options_fail_before_any_request(mocked, run, extra, fragment):
    result, failed = run(**extra)
    assert failed and fragment in result["msg"]
    assert not mocked.calls


def test_the_secret_never_appears_even_in_a_401(mocked, run):
    mocked.add(responses.GET, LIST, status=401, json={"returnCode": "401", "returnDesc": "bad signature"})
    result, _failed = run(probe_signing=True)
    dumped = json.dumps(result)
    assert SECRET not in dumped and "ak-visible" in dumped
    signing_key_of_secret = signer.signing_key(SECRET, "auth-v2/ak-visible")
    assert signing_key_of_secret not in dumped
