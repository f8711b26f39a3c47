# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A real IsalesClient against hostile answers, stopped exchanges and hung gateways.

HTTP is mocked at the requests seam (responses), except for the deadline tests, which need a
real socket: a small TCP server on 127.0.0.1 that trickles its answer or never ends it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import gzip
import io
import json
import re
import socket
import threading
import time
import tracemalloc

import pytest
import requests
import responses
import urllib3

from ansible_collections.huawei.isales.plugins.module_utils import _api_ob_results as api
from ansible_collections.huawei.isales.plugins.module_utils import _client as client_mod
from ansible_collections.huawei.isales.plugins.module_utils._answers import MAX_ANSWER_BYTES
from ansible_collections.huawei.isales.plugins.module_utils._client import (
    IsalesClient,
    access_key_problem,
    check_url,
    redact_url,
)
from ansible_collections.huawei.isales.plugins.module_utils._errors import BODY_EXCERPT, IsalesError

SECRET = "S3cr3t-never-shown"
BASE = "https://isales.example.com:28443"
ROOT = "/rest/isales/v1/openapi/campaigns/12/"
PREFIX = BASE + ROOT
LIST_CALL = "GET " + ROOT + "queryOBSResults"
CREATE_CALL = "POST " + ROOT + "createObResult"
OK = "0200000"
JSON = "application/json"
PROXY_PASSWORD = "pr0xy-pw-never-shown"


@pytest.fixture
def make_client(sleeps):
    def factory(**kwargs):
        settings = dict(url=BASE, access_key="ak", secret_key=SECRET, sleep=sleeps)
        settings.update(kwargs)
        return IsalesClient(**settings)
    return factory


def everything_of(err):
    """Every text an IsalesError can put in a task's output."""
    return "\n".join([str(err), err.msg, json.dumps(err.to_result(), ensure_ascii=False), err.reason or ""])


# Bodies a server may send that no client can use, each with what the message must say.
HOSTILE_BODIES = [
    pytest.param(b"[" * 100000 + b"]" * 100000, "nested deeper than 32", id="100000-nested-arrays"),
    pytest.param(json.dumps({"returnCode": OK, "x": 1}).encode()[:-1] + b', "deep": ' + b"[" * 33 + b"]" * 33 + b"}",
                 "nested deeper than 32", id="33-levels"),
    pytest.param(b'{"returnCode": "0200000", "defId": NaN}', "NaN", id="nan"),
    pytest.param(b'{"returnCode": "0200000", "defId": Infinity}', "Infinity", id="infinity"),
    pytest.param(b'{"returnCode": "0200000", "defId": 1e999}', "out of range", id="1e999"),
    pytest.param(b'{"returnCode": "0200000", "defId": ' + b"7" * 41 + b"}", "41 digits", id="41-digit-int"),
    pytest.param(b'{"returnCode": "0200000", "defId": ' + b"7" * 100000 + b"}", "digits", id="huge-int"),
    pytest.param(b'{"returnCode": "0200000", "returnDesc": "\\ud800", "defId": "1"}', "surrogate", id="surrogate"),
    pytest.param(b'{"returnCode": "0200000", "\\udc00": 1, "defId": "1"}', "surrogate", id="surrogate-key"),
    pytest.param(b'{"returnCode": "0200000", "returnDesc": "\xff\xfe", "defId": "1"}', "not valid utf-8",
                 id="undecodable"),
]


@pytest.mark.parametrize("body, said", HOSTILE_BODIES)
def test_a_write_answered_with_an_unusable_body_is_an_unknown_outcome(mocked, make_client, sleeps, body, said):
    mocked.add(responses.POST, PREFIX + "createObResult", body=body, content_type=JSON)
    client = make_client(retries=3)
    with pytest.raises(IsalesError) as info:
        api.create_result(client, 12, "busy", ["00602"])
    err = info.value
    assert err.kind == "parse", err.msg
    assert err.ambiguous, "a write answered with a broken body may have happened: it must be reconciled"
    assert err.call == CREATE_CALL and CREATE_CALL in err.msg
    assert said in err.msg
    assert len(mocked.calls) == 1 and not sleeps, "a write is never repeated"
    assert client.writes == [{"call": CREATE_CALL, "outcome": "unknown", "returnCode": None}]
    assert len(err.msg) < 1000


@pytest.mark.parametrize("body, said", HOSTILE_BODIES)
def test_a_read_answered_with_an_unusable_body_is_retried_then_a_parse_error_naming_the_call(
        mocked, make_client, sleeps, body, said):
    mocked.add(responses.GET, PREFIX + "queryOBSResults", body=body, content_type=JSON)
    with pytest.raises(IsalesError) as info:
        api.list_results(make_client(retries=2), 12)
    err = info.value
    assert err.kind == "parse" and err.call.startswith(LIST_CALL) and LIST_CALL in err.msg
    assert said in err.msg and "gave up after 3 tries" in err.msg
    assert len(mocked.calls) == 3 and len(sleeps) == 2
    assert len(err.msg) < 1000


# -- Date ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("date", [
    "Mon, 01 Jan 99999 00:00:00 GMT",
    "Fri, 31 Dec 9999 23:59:59 -0100",     # a valid date whose UTC is out of range
    "Fri, 31 Dec 9999 23:59:59 -2359",
    "garbage",
    "Mon, 32 Jan 2026 25:61:61 GMT",
    "Mon, 01 Jan 2026 00:00:00 -99999999999999999999999999",
    "\u00e9\u00e9",
    "",
])
def test_an_unusable_date_header_is_ignored(mocked, make_client, date):
    mocked.add(responses.GET, PREFIX + "queryOBSResults", json={"returnCode": OK, "totalCount": 0, "data": []},
               headers={"Date": date})
    client = make_client()
    assert api.list_results(client, 12) == []
    assert client.clock_skew() is None


def test_an_unusable_date_header_of_a_401_is_ignored(mocked, make_client):
    mocked.add(responses.GET, PREFIX + "queryOBSResults", status=401, json={"returnCode": "0200001"},
               headers={"Date": "Mon, 01 Jan 99999 00:00:00 GMT"})
    with pytest.raises(IsalesError) as info:
        api.list_results(make_client(), 12)
    assert info.value.kind == "auth" and info.value.clock_skew_seconds is None and info.value.server_time is None


def test_a_usable_date_header_gives_the_clock_skew(mocked, make_client):
    """The counterpart of the tests above: a Date that can be used is used."""
    mocked.add(responses.GET, PREFIX + "queryOBSResults", json={"returnCode": OK, "totalCount": 0, "data": []},
               headers={"Date": "Mon, 01 Jan 2035 00:00:00 GMT"})
    client = make_client()
    api.list_results(client, 12)
    assert client.clock_skew() > 3600


# -- size -----------------------------------------------------------------------------------------


class _Endless(io.RawIOBase):
    """A body produced as it is read, and how much of it was: a JSON array that never ends."""

    def __init__(self, limit=None):
        self.produced = 0
        self.limit = limit

    def readable(self):
        return True

    def readinto(self, buffer):
        size = len(buffer)
        if self.limit is not None:
            size = min(size, self.limit - self.produced)
        if self.produced == 0:
            chunk = (b"[" + b"0," * size)[:size]
        else:
            chunk = (b"0," * (size // 2 + 1))[:size]
        buffer[:len(chunk)] = chunk
        self.produced += len(chunk)
        return len(chunk)


def test_an_endless_answer_is_refused_past_8_mib_naming_the_call_and_the_cap(mocked, make_client):
    endless = _Endless()
    mocked.add(responses.GET, PREFIX + "queryOBSResults", body=io.BufferedReader(endless), content_type=JSON)
    started = time.monotonic()
    tracemalloc.start()
    try:
        with pytest.raises(IsalesError) as info:
            api.list_results(make_client(retries=0), 12)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    err = info.value
    assert err.kind == "parse" and LIST_CALL in err.msg and "8 MiB" in err.msg
    assert MAX_ANSWER_BYTES < endless.produced < MAX_ANSWER_BYTES + 1024 * 1024, "read no further than the cap"
    assert peak < 2 * MAX_ANSWER_BYTES
    assert time.monotonic() - started < 10


def test_an_answer_of_exactly_8_mib_is_read(mocked, make_client):
    head = b'{"returnCode": "0200000", "totalCount": 0, "data": [], "pad": "'
    body = head + b"x" * (MAX_ANSWER_BYTES - len(head) - 2) + b'"}'
    assert len(body) == MAX_ANSWER_BYTES
    mocked.add(responses.GET, PREFIX + "queryOBSResults", body=body, content_type=JSON)
    assert api.list_results(make_client(retries=0), 12) == []


def test_a_compressed_answer_is_measured_after_decompression(mocked, make_client):
    text = b'{"returnCode": "0200000", "pad": "' + b"0" * (MAX_ANSWER_BYTES + 1024) + b'"}'
    packed = gzip.compress(text)
    assert len(packed) < 64 * 1024
    mocked.add(responses.GET, PREFIX + "queryOBSResults", body=packed, content_type=JSON,
               headers={"Content-Encoding": "gzip"})
    with pytest.raises(IsalesError) as info:
        api.list_results(make_client(retries=0), 12)
    assert info.value.kind == "parse" and "8 MiB" in info.value.msg


def test_a_body_that_does_not_decompress_is_a_parse_error(mocked, make_client):
    mocked.add(responses.POST, PREFIX + "createObResult", body=b"not gzip at all", content_type=JSON,
               headers={"Content-Encoding": "gzip"})
    with pytest.raises(IsalesError) as info:
        api.create_result(make_client(), 12, "busy", ["00602"])
    assert info.value.kind == "parse" and info.value.ambiguous


# -- server text is cut ---------------------------------------------------------------------------


def test_a_long_return_desc_is_cut_in_the_message_and_in_last_return_desc(mocked, make_client):
    desc = "d" * 5000
    mocked.add(responses.POST, PREFIX + "createObResult", json={"returnCode": "0200001", "returnDesc": desc})
    client = make_client()
    with pytest.raises(IsalesError) as info:
        api.create_result(client, 12, "busy", ["00602"])
    err = info.value
    assert err.kind == "api"
    assert "d" * BODY_EXCERPT in err.msg and "d" * (BODY_EXCERPT + 1) not in err.msg
    assert err.return_desc.startswith("d" * BODY_EXCERPT) and len(err.return_desc) <= BODY_EXCERPT + 3
    assert len(client.last_return_desc) <= BODY_EXCERPT + 3


def test_a_long_return_desc_of_a_success_is_cut(mocked, make_client):
    mocked.add(responses.POST, PREFIX + "createObResult",
               json={"returnCode": OK, "returnDesc": "ok" * 3000, "defId": "7"})
    client = make_client()
    api.create_result(client, 12, "busy", ["00602"])
    assert len(client.last_return_desc) <= BODY_EXCERPT + 3
    assert len(client.reported_return[1]) <= BODY_EXCERPT + 3


@pytest.mark.parametrize("status, body, content_type", [
    (500, json.dumps({"returnCode": "0200001", "resultDesc": "e" * 5000}), JSON),
    (502, "e" * 5000, "text/html"),
    (200, "e" * 5000, "text/plain"),
    (200, json.dumps({"returnDesc": "e" * 5000}), JSON),   # no returnCode
    (401, json.dumps({"returnCode": "0200001", "returnDesc": "e" * 5000}), JSON),
])
def test_server_text_in_a_message_is_cut(mocked, make_client, status, body, content_type):
    mocked.add(responses.POST, PREFIX + "createObResult", status=status, body=body, content_type=content_type)
    with pytest.raises(IsalesError) as info:
        api.create_result(make_client(), 12, "busy", ["00602"])
    err = info.value
    assert "e" * (BODY_EXCERPT + 1) not in everything_of(err)
    assert "e" * 100 in err.msg


@pytest.mark.parametrize("desc", [{"text": "x"}, ["x"], 12, 1.5, True])
def test_a_return_desc_that_is_not_text_is_ignored(mocked, make_client, desc):
    mocked.add(responses.POST, PREFIX + "createObResult", json={"returnCode": OK, "returnDesc": desc, "defId": "7"})
    client = make_client()
    assert api.create_result(client, 12, "busy", ["00602"])["defId"] == "7"
    assert client.last_return_desc is None and client.writes[-1]["outcome"] == "done"


@pytest.mark.parametrize("code", [{"code": OK}, [OK], 200000.0, True, False])
def test_a_return_code_that_is_not_text_is_a_parse_error(mocked, make_client, code):
    mocked.add(responses.POST, PREFIX + "createObResult", json={"returnCode": code, "defId": "7"})
    client = make_client()
    with pytest.raises(IsalesError) as info:
        api.create_result(client, 12, "busy", ["00602"])
    err = info.value
    assert err.kind == "parse" and err.ambiguous and "returnCode that is not text" in err.msg
    assert client.writes[-1]["outcome"] == "unknown"


# -- redirects and proxies ------------------------------------------------------------------------


def test_a_redirect_names_where_it_points_without_its_userinfo(mocked, make_client):
    mocked.add(responses.GET, PREFIX + "queryOBSResults", status=302,
               headers={"Location": "https://admin:l0cation-pw@other.example:8443/login?next=1"})
    with pytest.raises(IsalesError) as info:
        api.list_results(make_client(), 12)
    err = info.value
    assert err.kind == "http" and err.status == 302
    assert "https://***@other.example:8443/login?next=1" in err.msg
    assert "l0cation-pw" not in everything_of(err) and "admin" not in err.msg
    assert len(mocked.calls) == 1, "a redirect is never followed"


def test_a_redirect_without_location_says_so(mocked, make_client):
    mocked.add(responses.GET, PREFIX + "queryOBSResults", status=307)
    with pytest.raises(IsalesError) as info:
        api.list_results(make_client(), 12)
    assert "no Location header" in info.value.msg


def _proxy_session():
    session = requests.Session()
    session.trust_env = False
    session.proxies = {"https": "http://proxyuser:%s@proxy.example:3128" % PROXY_PASSWORD}
    return session


def _proxy_error(text="Unable to connect to proxy"):
    """A ProxyError as requests raises it: wrapping urllib3's MaxRetryError, whose reason is urllib3's ProxyError."""
    return requests.exceptions.ProxyError(urllib3.exceptions.MaxRetryError(
        None, "/x", reason=urllib3.exceptions.ProxyError(
            text, OSError("Tunnel connection failed: 407 Proxy Authentication Required"))))


def test_a_proxy_failure_names_the_proxy_without_its_credentials(mocked, make_client):
    mocked.add(responses.GET, PREFIX + "queryOBSResults", body=_proxy_error())
    client = make_client(session=_proxy_session(), retries=0)
    with pytest.raises(IsalesError) as info:
        api.list_results(client, 12)
    err = info.value
    assert err.kind == "connection" and "proxy.example:3128" in err.msg and "proxy.example:3128" in err.reason
    assert PROXY_PASSWORD not in everything_of(err) and "proxyuser" not in everything_of(err)
    assert client.proxy == "http://***@proxy.example:3128"


def test_a_proxy_from_the_environment_is_named_without_its_credentials(mocked, make_client, monkeypatch):
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxyuser:%s@proxy.example:3128" % PROXY_PASSWORD)
    mocked.add(responses.POST, PREFIX + "createObResult", body=_proxy_error())
    client = make_client()
    with pytest.raises(IsalesError) as info:
        api.create_result(client, 12, "busy", ["00602"])
    err = info.value
    assert "proxy.example:3128" in err.msg and PROXY_PASSWORD not in everything_of(err)
    assert err.sent is False and client.writes[-1]["outcome"] == "not sent"


def test_a_proxy_error_quoting_the_proxy_url_does_not_show_its_credentials(mocked, make_client):
    """A library's text that quotes the proxy's URL (userinfo included) is redacted like every message."""
    proxy_url = "http://proxyuser:%s@proxy.example:3128" % PROXY_PASSWORD
    mocked.add(responses.GET, PREFIX + "queryOBSResults",
               body=_proxy_error("Cannot connect to proxy %s: tunnel refused" % proxy_url))
    with pytest.raises(IsalesError) as info:
        api.list_results(make_client(session=_proxy_session(), retries=0), 12)
    assert PROXY_PASSWORD not in everything_of(info.value)


def test_a_connection_error_through_a_proxy_names_it(mocked, make_client):
    mocked.add(responses.GET, PREFIX + "queryOBSResults",
               body=requests.exceptions.ConnectionError("Connection aborted."))
    with pytest.raises(IsalesError) as info:
        api.list_results(make_client(session=_proxy_session(), retries=0), 12)
    err = info.value
    assert "through the proxy http://***@proxy.example:3128" in err.msg
    assert PROXY_PASSWORD not in everything_of(err)


# -- our own Authorization, echoed ----------------------------------------------------------------


def _echo(status, shape):
    """A callback answering with the request's Authorization (shape: how the server quotes it)."""
    def answer(request):
        authorization = request.headers["Authorization"]
        return status, {"Content-Type": JSON if shape != "text" else "text/html"}, shape_of(shape, authorization)
    return answer


def shape_of(shape, authorization):
    if shape == "desc":
        return json.dumps({"returnCode": "0200001", "returnDesc": "bad request, got Authorization: " + authorization})
    if shape == "result_desc":
        return json.dumps({"resultCode": "0200001", "resultDesc": "signature " + authorization.rsplit("/", 1)[-1]
                           + " does not match"})
    if shape == "ok_desc":
        return json.dumps({"returnCode": OK, "returnDesc": "accepted " + authorization, "defId": "7"})
    return "<html><body>Rejected header Authorization=%s</body></html>" % authorization


def _signatures(mocked):
    return [call.request.headers["Authorization"] for call in mocked.calls]


def assert_not_echoed(texts, authorizations):
    joined = "\n".join(text for text in texts if text)
    for authorization in authorizations:
        signature = authorization.rsplit("/", 1)[-1]
        assert len(signature) >= 32
        assert authorization not in joined and signature not in joined
        # Nor a large part of it (a copy cut short by an excerpt is still a copy).
        for start in range(0, len(signature) - 16 + 1):
            assert signature[start:start + 16] not in joined, "a part of our signature is shown"


@pytest.mark.parametrize("status, shape", [
    (400, "desc"), (400, "result_desc"), (500, "desc"), (502, "text"), (401, "desc"), (401, "text"),
    (200, "desc"), (200, "text"),
])
def test_an_echoed_authorization_is_never_shown(mocked, make_client, status, shape):
    mocked.add_callback(responses.POST, PREFIX + "createObResult", callback=_echo(status, shape))
    client = make_client()
    with pytest.raises(IsalesError) as info:
        api.create_result(client, 12, "busy", ["00602"])
    err = info.value
    assert_not_echoed([everything_of(err), err.return_desc, client.last_return_desc,
                       json.dumps(client.writes)], _signatures(mocked))
    if shape in ("desc", "result_desc") and status != 401:
        assert "<redacted>" in err.msg


def test_an_echoed_authorization_in_the_desc_of_a_success_is_not_kept(mocked, make_client):
    mocked.add_callback(responses.POST, PREFIX + "createObResult", callback=_echo(200, "ok_desc"))
    client = make_client()
    api.create_result(client, 12, "busy", ["00602"])
    assert_not_echoed([client.last_return_desc, str(client.reported_return)], _signatures(mocked))


def test_an_echoed_authorization_in_the_desc_of_a_read_that_is_retried_is_not_shown(mocked, make_client, sleeps):
    mocked.add_callback(responses.GET, PREFIX + "queryOBSResults", callback=_echo(503, "desc"))
    with pytest.raises(IsalesError) as info:
        api.list_results(make_client(retries=2), 12)
    assert len(mocked.calls) == 3
    assert_not_echoed([everything_of(info.value), info.value.return_desc], _signatures(mocked))


@pytest.mark.parametrize("where", ["desc", "text"])
def test_an_echoed_signature_cut_by_the_excerpt_is_not_shown(mocked, make_client, where):
    """The echo placed so that the 300-character cut falls inside the signature: half a signature
    is still a copy of it."""
    def answer(request):
        authorization = request.headers["Authorization"]
        pad = "p" * (BODY_EXCERPT - len(authorization) + 32)
        if where == "desc":
            return 400, {"Content-Type": JSON}, json.dumps({"returnCode": "0200001",
                                                            "returnDesc": pad + authorization})
        return 400, {"Content-Type": "text/plain"}, pad + authorization
    mocked.add_callback(responses.POST, PREFIX + "createObResult", callback=answer)
    client = make_client()
    with pytest.raises(IsalesError) as info:
        api.create_result(client, 12, "busy", ["00602"])
    assert_not_echoed([everything_of(info.value), info.value.return_desc, client.last_return_desc],
                      _signatures(mocked))


def test_an_authorization_the_client_built_but_could_not_send_is_not_shown(mocked, make_client, monkeypatch):
    """requests refuses a header value with a line break, quoting the value in its message."""
    built = []
    real = client_mod.signer.authorization

    def authorization(*args, **kwargs):
        value = real(*args, **kwargs)
        head, _sep, signature = value.rpartition("/")
        built.append(head + "\n/" + signature)
        return built[-1]

    monkeypatch.setattr(client_mod.signer, "authorization", authorization)
    mocked.add(responses.GET, PREFIX + "queryOBSResults", json={"returnCode": OK, "totalCount": 0, "data": []})
    with pytest.raises(IsalesError) as info:
        api.list_results(make_client(retries=0), 12)
    assert not mocked.calls, "the value could not be sent"
    text = everything_of(info.value)
    for value in built:
        signature = value.rsplit("/", 1)[-1]
        assert value not in text and signature not in text and repr(value)[1:-1] not in text


# -- access_key and url, before any request -------------------------------------------------------


@pytest.mark.parametrize("access_key", ["a\nb", "ak\r", "a b", "a/b", "\tak", "ak\x00", u"\u00e9k", "a\u2028b",
                                        "", "   ", "ak\x7f"])
def test_an_access_key_that_cannot_go_into_a_header_is_refused_before_any_request(mocked, make_client, access_key):
    problem = access_key_problem(access_key)
    assert problem and problem.startswith("access_key ")
    with pytest.raises(IsalesError) as info:
        make_client(access_key=access_key)
    assert info.value.kind == "config" and "access_key" in info.value.msg
    assert not mocked.calls


@pytest.mark.parametrize("access_key", ["ak", "AK-1_x.y~z", "a" * 64, "!#$%&'*+-.^_`|~0123"])
def test_printable_access_keys_are_accepted(access_key):
    assert access_key_problem(access_key) is None


PASSWORD = "s3cr3t"
# Every way a URL can carry a userinfo with a password...
USERINFOS = ["user:%s@" % PASSWORD, ":%s@" % PASSWORD, "%s@" % PASSWORD, "user:%s:x@" % PASSWORD,
             "us%%40er:%s@" % PASSWORD, "user:%s@x@" % PASSWORD]
# ... combined with every other fault of a URL.
URL_SHAPES = ["https://{}h:1", "https://{}h:1/?q=1", "https://{}h:1/#frag", "ftp://{}h:1", "https://{}h:99999",
              "https://{}h:port", "https://{}[::1", "https://{}:1", "https://{}", "HTTPS://{}H:1/p?q=1#f",
              "https://{}h:1/a b", "//{}h:1", "https://{}h:1/?next=http://{}h2"]


@pytest.mark.parametrize("shape", URL_SHAPES)
@pytest.mark.parametrize("userinfo", USERINFOS)
def test_check_url_never_shows_a_url_password(shape, userinfo):
    url = shape.replace("{}", userinfo)
    problem = check_url(url)
    assert problem, "a URL with credentials is refused"
    assert "credentials" in problem
    assert PASSWORD not in problem
    assert PASSWORD not in redact_url(url)


@pytest.mark.parametrize("url", [
    "https://user:s3 cr3t@h:1",          # urlsplit reads the password "s3 cr3t"
    "https://user:s3cr3t\t@h:1",         # urlsplit drops the tab: password "s3cr3t"
    "https://user:s3\ncr3t@h:1",         # ... and the line break
    "https://us er:s3cr3t@h:1",
])
def test_check_url_refuses_a_password_that_holds_whitespace(url):
    problem = check_url(url)
    assert problem, "check_url accepted %r" % (url,)
    assert PASSWORD not in problem and "s3 cr3t" not in problem


@pytest.mark.parametrize("url", [
    "https:user:s3cr3t@h:1",             # no "//": browsers still read user:s3cr3t as the userinfo
    "https:/user:s3cr3t@h:1",
    "https:\\\\user:s3cr3t@h:1",
    "https://user:s3/cr3t@h:1",          # a "/" in the password ends the authority early
])
def test_check_url_does_not_echo_what_looks_like_a_password(url):
    problem = check_url(url)
    assert problem
    assert "s3cr3t" not in problem and "cr3t" not in problem


def test_the_client_refuses_a_url_with_credentials_before_any_request(mocked):
    with pytest.raises(IsalesError) as info:
        IsalesClient("https://user:%s@isales.example.com:28443" % PASSWORD, "ak", SECRET)
    assert info.value.kind == "config" and PASSWORD not in everything_of(info.value)
    assert not mocked.calls


@pytest.mark.parametrize("url", ["https://user:s3 cr3t@isales.example.com:28443",
                                 "https://user:s3cr3t\t@isales.example.com:28443"])
def test_the_client_refuses_a_url_whose_userinfo_holds_whitespace_before_any_request(mocked, url):
    """Else requests reads the userinfo itself: it sends the password as HTTP Basic credentials, in place of
    the signed Authorization, and the messages quote the URL."""
    mocked.add(responses.GET, PREFIX + "queryOBSResults", json={"returnCode": OK, "totalCount": 0, "data": []})
    try:
        client = IsalesClient(url, "ak", SECRET, retries=0)
    except IsalesError as err:
        assert err.kind == "config" and "cr3t" not in everything_of(err)
        return
    try:
        api.list_results(client, 12)
    except IsalesError:
        pass
    sent = [call.request.headers.get("Authorization") for call in mocked.calls]
    pytest.fail("the client was made with %r and sent %d request(s), Authorization %r" % (url, len(sent), sent))


# -- the deadline, on a real socket -----------------------------------------------------------------


class _Server(object):
    """A TCP server on 127.0.0.1 that answers every connection with behave(connection, stop); it stops by
    itself after lifetime seconds."""

    def __init__(self, behave, lifetime=5.0):
        self.behave = behave
        self.stop = threading.Event()
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.deadline = time.monotonic() + lifetime
        self.sent = 0
        self.threads = [threading.Thread(target=self._accept)]
        self.threads[0].daemon = True
        self.threads[0].start()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def running(self):
        return not self.stop.is_set() and time.monotonic() < self.deadline

    def _accept(self):
        while self.running():
            try:
                connection, _address = self.listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            worker = threading.Thread(target=self._serve, args=(connection,))
            worker.daemon = True
            self.threads.append(worker)
            worker.start()

    def _serve(self, connection):
        try:
            connection.settimeout(0.5)
            request = b""
            while b"\r\n\r\n" not in request and self.running():
                try:
                    data = connection.recv(65536)
                except socket.timeout:
                    continue
                if not data:
                    return
                request += data
            self.behave(self, connection)
        except OSError:
            pass  # the client gave up and closed the connection
        finally:
            connection.close()

    def send(self, connection, data):
        connection.sendall(data)
        self.sent += len(data)

    def trickle(self, connection, data, every=0.3):
        for index in range(len(data)):
            if not self.running():
                return
            self.send(connection, data[index:index + 1])
            self.stop.wait(every)

    def close(self):
        self.stop.set()
        self.listener.close()
        for thread in self.threads:
            thread.join(2)


ANSWER = json.dumps({"returnCode": OK, "totalCount": 0, "data": []}).encode()
HEADERS = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(ANSWER))


def prompt(server, connection):
    server.send(connection, HEADERS + ANSWER)


def trickled_headers(server, connection):
    server.trickle(connection, HEADERS + ANSWER)


def trickled_body(server, connection):
    server.send(connection, HEADERS)
    server.trickle(connection, ANSWER)


def endless_chunks(server, connection):
    server.send(connection, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"[" + b"0," * 32767
    server.send(connection, b"%x\r\n%s\r\n" % (len(chunk), chunk))
    chunk = b"0," * 32768
    while server.running():
        server.send(connection, b"%x\r\n%s\r\n" % (len(chunk), chunk))


def endless_slow_chunks(server, connection):
    """Headers, then a small chunk every 0.2 s: each read of the socket gets data well within the timeout."""
    server.send(connection, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
    server.send(connection, b"1\r\n[\r\n")
    while server.running():
        server.send(connection, b"2\r\n0,\r\n")
        server.stop.wait(0.2)


@pytest.fixture
def serve():
    servers = []

    def start(behave):
        server = _Server(behave)
        servers.append(server)
        return server

    try:
        yield start
    finally:
        for server in servers:
            server.close()


def test_a_prompt_server_is_read_over_a_real_socket(serve, no_sleep):
    """The counterpart of the deadline tests: the same server, answering at once, is read."""
    server = serve(prompt)
    client = IsalesClient(server.url, "ak", SECRET, timeout=1, retries=0)
    try:
        assert api.list_results(client, 12) == []
    finally:
        client.close()


@pytest.mark.parametrize("behave", [trickled_headers, trickled_body, endless_slow_chunks],
                         ids=["trickled-headers", "trickled-body", "endless-slow-chunks"])
def test_the_timeout_bounds_the_whole_exchange(serve, no_sleep, behave):
    server = serve(behave)
    client = IsalesClient(server.url, "ak", SECRET, timeout=1, retries=0)
    started = time.monotonic()
    try:
        with pytest.raises(IsalesError) as info:
            api.list_results(client, 12)
    finally:
        elapsed = time.monotonic() - started
        client.close()
    err = info.value
    assert err.kind == "timeout", err.msg
    assert "1s" in err.msg and LIST_CALL in err.msg
    assert 0.9 <= elapsed < 1.5, "the exchange took %.2f s with timeout=1" % elapsed


def test_a_write_cut_off_by_the_deadline_is_in_flight(serve, no_sleep):
    server = serve(trickled_body)
    client = IsalesClient(server.url, "ak", SECRET, timeout=1, retries=3)
    started = time.monotonic()
    try:
        with pytest.raises(IsalesError) as info:
            api.create_result(client, 12, "busy", ["00602"])
    finally:
        client.close()
    err = info.value
    assert err.kind == "timeout" and err.ambiguous and err.in_flight
    assert time.monotonic() - started < 1.5
    assert client.writes[-1]["outcome"] == "unknown"


def test_an_endless_fast_body_is_cut_off_in_time_and_memory(serve, no_sleep):
    server = serve(endless_chunks)
    client = IsalesClient(server.url, "ak", SECRET, timeout=1, retries=0)
    started = time.monotonic()
    tracemalloc.start()
    try:
        with pytest.raises(IsalesError) as info:
            api.list_results(client, 12)
        elapsed = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        client.close()
    err = info.value
    assert err.kind in ("timeout", "parse"), err.msg
    if err.kind == "parse":
        assert "8 MiB" in err.msg
    assert elapsed < 1.5, "the exchange took %.2f s with timeout=1" % elapsed
    assert peak < 2 * MAX_ANSWER_BYTES, "%d bytes held for an answer capped at 8 MiB" % peak


def too_many_headers(server, connection):
    server.send(connection, b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(150))
                + b"Content-Length: %d\r\n\r\n" % len(ANSWER) + ANSWER)


def endless_header_line(server, connection):
    server.send(connection, b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 70000 + b"\r\n" + HEADERS.split(b"\r\n", 1)[1]
                + ANSWER)


def garbage_status_line(server, connection):
    server.send(connection, b"HTTP/1.1 abc OK\r\nContent-Length: 2\r\n\r\n{}")


def short_body(server, connection):
    server.send(connection, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{}")


def garbage_chunk(server, connection):
    server.send(connection, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")


@pytest.mark.parametrize("behave", [too_many_headers, endless_header_line, garbage_status_line, short_body,
                                    garbage_chunk],
                         ids=["150-headers", "70k-header-line", "garbage-status-line", "short-body", "garbage-chunk"])
def test_an_answer_whose_head_or_framing_cannot_be_used_is_a_parse_error_of_the_call(serve, no_sleep, behave):
    server = serve(behave)
    client = IsalesClient(server.url, "ak", SECRET, timeout=1, retries=0)
    try:
        with pytest.raises(IsalesError) as info:
            api.list_results(client, 12)
    finally:
        client.close()
    err = info.value
    assert err.kind == "parse", "kind %s: %s" % (err.kind, err.msg)
    assert LIST_CALL in err.msg


def test_the_next_request_after_a_deadline_gets_its_own_time(serve, no_sleep):
    """An exchange given up on must not hold up the next one (the client's exchange thread is replaced)."""
    slow = serve(trickled_headers)
    fast = serve(prompt)
    client = IsalesClient(slow.url, "ak", SECRET, timeout=1, retries=0)
    try:
        with pytest.raises(IsalesError):
            api.list_results(client, 12)
        client.base = fast.url
        started = time.monotonic()
        assert api.list_results(client, 12) == []
        assert time.monotonic() - started < 0.9
    finally:
        client.close()


def test_no_request_starts_once_the_task_is_stopped(mocked, make_client):
    stop = threading.Event()
    stop.set()
    client = make_client(stop=stop)
    with pytest.raises(IsalesError) as info:
        api.create_result(client, 12, "busy", ["00602"])
    err = info.value
    assert err.kind == "cancelled" and err.sent is False and not mocked.calls
    assert client.writes == [{"call": CREATE_CALL, "outcome": "not sent", "returnCode": None}]
    assert re.search(r"was not sent", err.msg)
