# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP client, with HTTP mocked at the requests seam (the responses library)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import json
import ssl

import pytest
import requests
import responses
import urllib3

from ansible_collections.huawei.isales.plugins.module_utils import _api_ob_results as api
from ansible_collections.huawei.isales.plugins.module_utils import _api_obs_codes as obs_codes_api
from ansible_collections.huawei.isales.plugins.module_utils import _client as client_mod
from ansible_collections.huawei.isales.plugins.module_utils import signer
from ansible_collections.huawei.isales.plugins.module_utils._client import IsalesClient
from ansible_collections.huawei.isales.plugins.module_utils._errors import IsalesError

SECRET = "S3cr3t-never-shown"
BASE = "https://isales.example.com:28443"
PREFIX = BASE + "/rest/isales/v1/openapi/campaigns/12/"
NOW = datetime.datetime(2026, 11, 27, 12, 0, 0, tzinfo=datetime.timezone.utc)
OK = {"returnCode": "0200000", "resultCode": "0200000", "returnDesc": "ok", "resultDesc": "ok"}


def ok(**extra):
    body = dict(OK)
    body.update(extra)
    return body


@pytest.fixture
def make_client(sleeps):
    def factory(**kwargs):
        settings = dict(url=BASE, access_key="ak", secret_key=SECRET, clock=lambda: NOW, sleep=sleeps)
        settings.update(kwargs)
        return IsalesClient(**settings)
    return factory


def assert_no_secret(err):
    assert SECRET not in str(err)
    assert SECRET not in json.dumps(err.to_result())


def test_request_is_signed_and_sends_the_signed_bytes(mocked, make_client):
    mocked.add(responses.POST, PREFIX + "createObResult", json=ok(defId="77"))
    client = make_client()
    payload = api.create_result(client, 12, u"未接通 busy", ["00602", "00606"], result_code="007")
    assert payload["defId"] == "77"
    sent = mocked.calls[0].request
    body_text = sent.body.decode("utf-8")
    assert json.loads(body_text) == {"resultCode": "007", "displayResult": u"未接通 busy", "obsCodes": ["00602", "00606"]}
    assert sent.headers["Host"] == "isales.example.com:28443"
    assert sent.headers["Content-Type"] == "application/json; charset=UTF-8"
    expected = signer.authorization("ak", SECRET, "POST", "/rest/isales/v1/openapi/campaigns/12/createObResult",
                                    headers={"host": "isales.example.com:28443"}, body=body_text, timestamp=NOW)
    assert sent.headers["Authorization"] == expected
    assert SECRET not in str(sent.headers) and SECRET.encode() not in sent.body


def test_query_is_signed_as_sent(mocked, make_client):
    mocked.add(responses.GET, PREFIX + "queryOBSResults", json=ok(totalCount=0, data=[]))
    api.list_results(make_client(), 12)
    sent = mocked.calls[0].request
    assert sent.url.endswith("queryOBSResults?pageSize=50&pageNum=1")
    expected = signer.authorization("ak", SECRET, "GET", "/rest/isales/v1/openapi/campaigns/12/queryOBSResults",
                                    query={"pageSize": "50", "pageNum": "1"},
                                    headers={"host": "isales.example.com:28443"}, timestamp=NOW)
    assert sent.headers["Authorization"] == expected
    assert sent.body is None


def test_path_prefix_of_the_base_url_is_kept_and_signed(mocked, make_client):
    mocked.add(responses.DELETE, BASE + "/gw/rest/isales/v1/openapi/campaigns/3/9/deleteObsResult", json=ok())
    api.delete_result(make_client(url=BASE + "/gw/"), 3, "9")
    sent = mocked.calls[0].request
    expected = signer.authorization("ak", SECRET, "DELETE", "/gw/rest/isales/v1/openapi/campaigns/3/9/deleteObsResult",
                                    headers={"host": "isales.example.com:28443"}, timestamp=NOW)
    assert sent.headers["Authorization"] == expected


@pytest.mark.parametrize("prefix,sent", [("/my%20gw", "/my%20gw"), ("/my gw", "/my%20gw"), ("/a%2fb", "/a%2Fb")])
def test_a_path_prefix_is_sent_once_encoded_and_signed_as_sent(mocked, make_client, prefix, sent):
    path = sent + "/rest/isales/v1/openapi/campaigns/3/9/deleteObsResult"
    mocked.add(responses.DELETE, BASE + path, json=ok())
    api.delete_result(make_client(url=BASE + prefix), 3, "9")
    request = mocked.calls[0].request
    assert request.path_url == path
    expected = signer.authorization("ak", SECRET, "DELETE", path, headers={"host": "isales.example.com:28443"},
                                    timestamp=NOW)
    assert request.headers["Authorization"] == expected


def test_listing_pages_until_total_count(mocked, make_client):
    items = [{"defId": str(i), "displayResult": "r%d" % i, "resultCode": ""} for i in range(120)]
    for page in (1, 2, 3):
        mocked.add(responses.GET, PREFIX + "queryOBSResults",
                   match=[responses.matchers.query_param_matcher({"pageSize": "50", "pageNum": str(page)})],
                   json=ok(totalCount=120, data=items[(page - 1) * 50:page * 50]))
    result = api.list_results(make_client(), 12)
    assert result == items
    assert len(mocked.calls) == 3


def test_listing_stops_on_an_empty_page(mocked, make_client):
    full = [{"defId": str(i), "displayResult": "r%d" % i, "resultCode": ""} for i in range(50)]
    mocked.add(responses.GET, PREFIX + "queryOBSResults", json=ok(totalCount=500, data=full))
    mocked.add(responses.GET, PREFIX + "queryOBSResults", json=ok(totalCount=500, data=[]))
    assert api.list_results(make_client(), 12) == full
    assert len(mocked.calls) == 2


def test_vendor_error_code_gets_its_meaning(mocked, make_client):
    mocked.add(responses.POST, PREFIX + "createObResult",
               json={"returnCode": "02000007", "resultCode": "02000007", "returnDesc": "obsCodes 99999 unknown"})
    with pytest.raises(IsalesError) as info:
        api.create_result(make_client(), 12, "x", ["99999"])
    err = info.value
    assert err.kind == "api" and err.return_code == "02000007"
    assert err.meaning == "incorrect parameter value"
    assert "incorrect parameter value" in err.msg and "obsCodes 99999 unknown" in err.msg
    assert "POST /rest/isales/v1/openapi/campaigns/12/createObResult" in err.msg
    result = err.to_result()
    assert result["returnCode"] == "02000007" and result["status"] == 200 and result["call"].startswith("POST")
    assert not err.ambiguous
    assert_no_secret(err)


def test_unknown_code_is_said_to_be_unknown(mocked, make_client):
    mocked.add(responses.GET, PREFIX + "5/queryObsResultDetail", json={"returnCode": "0299999"})
    # (a vendor code, even unknown, is an answer: not retried as a broken one)
    with pytest.raises(IsalesError, match="not in the vendor's error table"):
        api.get_result(make_client(), 12, "5")


def test_401_names_the_likely_causes_and_the_signing_time(mocked, make_client):
    mocked.add(responses.GET, PREFIX + "queryOBSResultCode", status=401,
               json={"returnCode": "401", "returnDesc": "signature mismatch"})
    with pytest.raises(IsalesError) as info:
        obs_codes_api.list_obs_codes(make_client(), 12)
    err = info.value
    assert err.kind == "auth" and err.status == 401
    for part in ("signature", "access_key", "secret_key", "15 minutes", "2026-11-27T12:00:00Z", "signature mismatch"):
        assert part in err.msg
    assert len(mocked.calls) == 1, "a rejected signature is not retried"
    assert_no_secret(err)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_reads_retry_on_5xx(mocked, make_client, sleeps, status):
    mocked.add(responses.GET, PREFIX + "queryOBSResults", status=status, body="<html>Bad gateway</html>")
    mocked.add(responses.GET, PREFIX + "queryOBSResults", json=ok(totalCount=0, data=[]))
    assert api.list_results(make_client(), 12) == []
    assert len(mocked.calls) == 2 and len(sleeps) == 1


def test_429_retry_after_is_honoured(mocked, make_client, sleeps):
    mocked.add(responses.GET, PREFIX + "queryOBSResults", status=429, headers={"Retry-After": "7"}, body="")
    mocked.add(responses.GET, PREFIX + "queryOBSResults", json=ok(totalCount=0, data=[]))
    api.list_results(make_client(), 12)
    assert sleeps[0] >= 7


def test_reads_give_up_after_retries_and_say_so(mocked, make_client, sleeps):
    mocked.add(responses.GET, PREFIX + "queryOBSResults", status=503, body="<html><title>503</title></html>")
    with pytest.raises(IsalesError) as info:
        api.list_results(make_client(retries=2), 12)
    err = info.value
    assert len(mocked.calls) == 3 and len(sleeps) == 2
    assert err.attempts == 3 and "gave up after 3 tries" in err.msg and "HTTP 503" in err.msg
    assert "<title>503</title>" in err.msg


def test_retries_zero_disables_retry(mocked, make_client):
    mocked.add(responses.GET, PREFIX + "queryOBSResults", body=requests.exceptions.ConnectionError("reset by peer"))
    with pytest.raises(IsalesError) as info:
        api.list_results(make_client(retries=0), 12)
    assert len(mocked.calls) == 1 and info.value.kind == "connection"


def test_writes_are_sent_once(mocked, make_client, sleeps):
    mocked.add(responses.POST, PREFIX + "updateObResult", status=502, body="bad gateway")
    with pytest.raises(IsalesError) as info:
        api.update_result(make_client(retries=5), 12, "9", "x", ["1"])
    assert len(mocked.calls) == 1 and not sleeps
    assert info.value.ambiguous


def test_timeout_is_its_own_kind(mocked, make_client):
    mocked.add(responses.DELETE, PREFIX + "9/deleteObsResult", body=requests.exceptions.ReadTimeout("slow"))
    with pytest.raises(IsalesError) as info:
        api.delete_result(make_client(timeout=3), 12, "9")
    assert info.value.kind == "timeout" and "3s" in info.value.msg and info.value.ambiguous


def test_tls_failure_points_at_ca_path(mocked, make_client):
    mocked.add(responses.GET, PREFIX + "queryOBSResults",
               body=requests.exceptions.SSLError("certificate verify failed: self-signed certificate"))
    with pytest.raises(IsalesError) as info:
        api.list_results(make_client(), 12)
    err = info.value
    assert err.kind == "tls" and "ca_path" in err.msg and "self-signed" in err.msg
    assert len(mocked.calls) == 1, "TLS failures are not retried"


def _chained(outer, inner):
    """outer raised while handling inner, as urllib3 raises its errors."""
    try:
        try:
            raise inner
        except type(inner):
            raise outer from inner
    except type(outer) as err:
        return err


def _verify_error(message):
    err = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: %s "
                                          "(_ssl.c:1000)" % message)
    err.verify_message = message
    return err


@pytest.mark.parametrize("make,reason", [
    (lambda: requests.exceptions.SSLError(urllib3.exceptions.MaxRetryError(
        None, "/x", reason=urllib3.exceptions.SSLError(_verify_error("unable to get local issuer certificate")))),
     "certificate verify failed: unable to get local issuer certificate"),
    (lambda: requests.exceptions.SSLError(urllib3.exceptions.MaxRetryError(
        None, "/x", reason=urllib3.exceptions.SSLError(_verify_error("Hostname mismatch, certificate is not valid "
                                                                     "for 'isales.example.com'.")))),
     "certificate verify failed: Hostname mismatch, certificate is not valid for 'isales.example.com'."),
    (lambda: requests.exceptions.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/x", reason=_chained(
        urllib3.exceptions.NewConnectionError(None, "Failed to establish a new connection: [Errno 111] refused"),
        ConnectionRefusedError(111, "Connection refused")))),
     "[Errno 111] Connection refused"),
    (lambda: requests.exceptions.ConnectionError("Connection aborted."), "Connection aborted."),
])
def test_transport_failures_say_the_innermost_reason(make, reason):
    assert client_mod._short(make()) == reason


@pytest.mark.parametrize("body,ctype", [
    ("<html><body>Service Unavailable</body></html>", "text/html"),
    ("", "application/json"),
    ('{"returnCode": "0200000", "data": [', "application/json"),
    ("[1, 2]", "application/json"),
])
def test_unparsable_answer_to_a_read_is_retried_then_quoted(mocked, make_client, sleeps, body, ctype):
    mocked.add(responses.GET, PREFIX + "queryOBSResults", body=body, content_type=ctype)
    with pytest.raises(IsalesError) as info:
        api.list_results(make_client(retries=2), 12)
    err = info.value
    assert err.kind == "parse" and "HTTP 200" in err.msg and "gave up after 3 tries" in err.msg
    assert (body[:20] in err.msg) if body else ("<empty body>" in err.msg)
    assert len(mocked.calls) == 3 and len(sleeps) == 2


def test_a_truncated_read_succeeds_on_the_next_try(mocked, make_client):
    mocked.add(responses.GET, PREFIX + "queryOBSResults", body='{"returnCode": "0200000", "da', content_type="application/json")
    mocked.add(responses.GET, PREFIX + "queryOBSResults", json=ok(totalCount=0, data=[]))
    assert api.list_results(make_client(), 12) == [] and len(mocked.calls) == 2


def test_unparsable_answer_to_a_write_is_not_repeated(mocked, make_client):
    mocked.add(responses.POST, PREFIX + "createObResult", body="<html>oops</html>", content_type="text/html")
    with pytest.raises(IsalesError) as info:
        api.create_result(make_client(retries=3), 12, "x", ["1"])
    assert info.value.kind == "parse" and info.value.ambiguous and len(mocked.calls) == 1


@pytest.mark.parametrize("answer", [{}, {"returnDesc": "done"}, {"defId": "77"}])
def test_a_200_without_return_code_is_an_unknown_outcome(mocked, make_client, answer):
    mocked.add(responses.POST, PREFIX + "createObResult", json=answer)
    with pytest.raises(IsalesError) as info:
        api.create_result(make_client(), 12, "x", ["1"])
    err = info.value
    assert err.kind == "parse" and err.ambiguous and "has no returnCode" in err.msg and len(mocked.calls) == 1


def test_long_body_is_cut(mocked, make_client):
    mocked.add(responses.GET, PREFIX + "queryOBSResults", body="x" * 5000, content_type="text/plain")
    with pytest.raises(IsalesError) as info:
        api.list_results(make_client(), 12)
    assert len(info.value.msg) < 600


def test_ca_path_and_validate_certs_win_over_the_environment(mocked, make_client, monkeypatch, tmp_path):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/nonexistent/env-bundle.pem")
    monkeypatch.setenv("CURL_CA_BUNDLE", "/nonexistent/env-bundle.pem")
    ca_file = tmp_path / "ca.pem"
    ca_file.write_text("dummy")
    for url_kwargs, expected in (
        (dict(ca_path=str(ca_file)), str(ca_file)),
        (dict(validate_certs=False), False),
        (dict(), requests.utils.DEFAULT_CA_BUNDLE_PATH),
    ):
        mocked.add(responses.GET, PREFIX + "queryOBSResults", json=ok(totalCount=0, data=[]))
        api.list_results(make_client(**url_kwargs), 12)
        assert mocked.calls[-1].request.req_kwargs["verify"] == expected


def test_timeout_is_always_passed(mocked, make_client):
    mocked.add(responses.GET, PREFIX + "queryOBSResults", json=ok(totalCount=0, data=[]))
    api.list_results(make_client(timeout=11), 12)
    assert mocked.calls[0].request.req_kwargs["timeout"] == 11


@pytest.mark.parametrize("url,host", [
    ("https://10.1.1.1:28443", "10.1.1.1:28443"),
    ("https://isales.example.com", "isales.example.com"),
    ("https://isales.example.com:443/", "isales.example.com"),
    ("http://h:80", "h"),
    ("https://[2001:db8::1]:8443", "[2001:db8::1]:8443"),
])
def test_host_header(url, host):
    assert client_mod.host_header(url) == host


@pytest.mark.parametrize("url,fragment", [
    ("isales.example.com:28443", "base URL"),
    ("ftp://h", "base URL"),
    ("https://h:99999", "not a valid URL"),
    ("https://user:pw@h", "credentials"),
    ("https://h/?a=1", "query string"),
    ("", "base URL"),
])
def test_bad_urls_are_refused_naming_the_option(url, fragment, make_client):
    assert fragment in client_mod.check_url(url)
    with pytest.raises(IsalesError) as info:
        make_client(url=url)
    assert info.value.msg.startswith("url ") and info.value.kind == "config"


def test_retry_delay_grows_with_jitter_and_honours_retry_after():
    assert client_mod.retry_delay(1, rand=lambda: 0.0, base=1) == 0.5
    assert client_mod.retry_delay(1, rand=lambda: 1.0, base=1) == 1.0
    assert client_mod.retry_delay(3, rand=lambda: 1.0, base=1) == 4.0
    assert client_mod.retry_delay(10, rand=lambda: 1.0, base=1, cap=8) == 8.0
    assert client_mod.retry_delay(1, retry_after=5, rand=lambda: 0.0, base=1) == 5.0
    assert client_mod.retry_delay(1, retry_after=3600, rand=lambda: 0.0) == client_mod.MAX_RETRY_AFTER


@pytest.mark.parametrize("value,expected", [("3", 3.0), (" 1.5 ", 1.5), ("-1", None), ("soon", None), (None, None)])
def test_parse_retry_after(value, expected):
    assert client_mod.parse_retry_after(value) == expected


def test_return_code_of_the_last_call_is_kept(mocked, make_client):
    mocked.add(responses.DELETE, PREFIX + "9/deleteObsResult", json=ok(returnDesc="deleteObsResult Success!"))
    client = make_client()
    api.delete_result(client, 12, "9")
    assert client.last_return_code == "0200000" and client.last_return_desc == "deleteObsResult Success!"
