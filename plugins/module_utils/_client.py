# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The transport: the one HTTP client of the collection's modules, knowing no resource.

It signs every request with auth-v2 (in the dialect chosen), sends exactly the
bytes it signed, retries reads (never writes) on transient failures, and turns
every failure into one structured IsalesError that never carries a secret.
A resource names its calls as Call(name, method, path template); the client
builds their paths (path()) and sends them (read(), write(), send()). Paging is
in _paging.py, each resource's calls and answer checks in an _api_*.py file.

This is a private module_utils: its API may change without notice; only
signer.authorization() is public.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import datetime
import email.utils
import http.client
import json
import queue
import random
import re
import ssl
import threading
import time
import traceback

from urllib.parse import quote, urlsplit

REQUESTS_IMPORT_ERROR = None
try:
    import requests
    import requests.models
    import requests.utils
except ImportError:  # pragma: no cover - exercised by the sanity import test
    requests = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

from ansible_collections.huawei.isales.plugins.module_utils import signer
from ansible_collections.huawei.isales.plugins.module_utils._answers import (
    MAX_ANSWER_BYTES,
    BadAnswer,
    decode,
    parse,
)
from ansible_collections.huawei.isales.plugins.module_utils._errors import (
    BODY_EXCERPT,
    KIND_API,
    KIND_AUTH,
    KIND_CANCELLED,
    KIND_CONFIG,
    KIND_CONNECTION,
    KIND_HTTP,
    KIND_PARSE,
    KIND_TIMEOUT,
    KIND_TLS,
    SUCCESS,
    IsalesError,
    excerpt,
    meaning_of,
)

# Every call's path starts with this (after the url's own path, if any).
API_PREFIX = "/rest/isales/v1/openapi/campaigns"
CONTENT_TYPE = "application/json; charset=UTF-8"
USER_AGENT = "huawei.isales-ansible-collection"

# The headers a request may sign ("dialects" of auth-v2), as the vendor writes their names.
# host is always signed; the others are the exact values sent.
SIGNABLE_HEADERS = ("content-length", "content-type", "host")
DEFAULT_SIGNED_HEADERS = ("host",)
# The dialects the vendor documents, in the order a probe tries them.
DIALECTS = (("host",), ("content-type", "host"), ("content-length", "content-type", "host"))
_SENT_NAMES = {"host": "Host", "content-type": "Content-Type", "content-length": "Content-Length"}

# Upper bound on a server's Retry-After that we are willing to wait.
MAX_RETRY_AFTER = 60.0


class Call(collections.namedtuple("Call", "name method template")):
    """One call of a resource: its name ("ob_result.list"), HTTP method and path template.

    The template is the path after API_PREFIX, with {names} for its path parameters, e.g.
    "/{vdn_id}/{def_id}/queryObsResultDetail"; IsalesClient.path() fills it in.
    """

    __slots__ = ()


def retry_delay(attempt, retry_after=None, base=0.5, cap=8.0, rand=random.random):
    """Seconds to wait before try number attempt+1 (attempt counts from 1).

    Exponential backoff with full jitter, never shorter than a server's
    Retry-After (bounded by MAX_RETRY_AFTER).
    """
    backoff = min(cap, base * (2 ** (attempt - 1)))
    delay = backoff / 2 + rand() * backoff / 2
    if retry_after is not None:
        delay = max(delay, min(float(retry_after), MAX_RETRY_AFTER))
    return delay


def parse_retry_after(value):
    """Seconds from a Retry-After header (delta-seconds form), or None."""
    if value is None:
        return None
    try:
        seconds = float(str(value).strip())
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def host_header(url):
    """The Host value for a base URL: host, plus :port unless it is the scheme's default."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = "[%s]" % host
    port = parts.port
    default = {"https": 443, "http": 80}.get(parts.scheme)
    if port and port != default:
        host = "%s:%d" % (host, port)
    return host


# The userinfo of a URL ("user:password@"), wherever it stands in a text.
# (Compiled where it is used, by re's cache: a task whose requests all succeed never needs it.)
_USERINFO = r"(?<=//)[^/?#@\s]*@"


def redact_url(text):
    """text with the userinfo of any URL in it replaced by ***@ (a URL's password is a secret)."""
    return re.sub(_USERINFO, "***@", text or "")


def url_secrets(url):
    """The secrets of a URL's userinfo (its password, the whole userinfo), however malformed the URL:
    no_log values of any module given it."""
    text = url if isinstance(url, str) else ""
    if "@" not in text:
        return []
    userinfo = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*:/*", "", text.rsplit("@", 1)[0])
    values = set([userinfo, userinfo.strip()])
    if ":" in userinfo:
        password = userinfo.split(":", 1)[1]
        values.update((password, password.strip()))
    return sorted(value for value in values if value)


def check_url(url):
    """Problems with a base URL, as a message naming the option, or None. Credentials in it (any "@") are
    refused first, and such a URL is never echoed."""
    if "@" in (url or ""):
        return "url must not carry credentials (user:password@) or any '@'; use access_key and secret_key"
    try:
        parts = urlsplit(url or "")
        parts.port  # pylint: disable=pointless-statement  # raises on a bad port
    except ValueError as exc:
        return "url %r is not a valid URL: %s" % (url, exc)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return "url must be a base URL such as https://10.1.1.1:28443, got %r" % (url,)
    if parts.query or parts.fragment:
        return "url must not carry a query string or fragment, got %r" % (url,)
    return None


def access_key_problem(access_key):
    """A message naming the option when access_key cannot go into an Authorization header, or None.

    It stands between slashes in the header: printable ASCII, no whitespace, no "/"."""
    key = access_key or ""
    if not key.strip():
        return "access_key must not be empty"
    if any(not 33 <= ord(char) <= 126 or char == "/" for char in key):
        return "access_key must be printable ASCII without spaces, line breaks or '/'"
    return None


def _header_names(names):
    """The names of a signed_headers value, trimmed and lower-case, blanks dropped.

    A value of blanks only (an empty ISALES_SIGNED_HEADERS, as an AWX credential
    injects when its field is left empty) counts as not set: the default.
    """
    given = [str(name).strip().lower() for name in (DEFAULT_SIGNED_HEADERS if names is None else names)]
    if given and not any(given):
        return list(DEFAULT_SIGNED_HEADERS)
    return [name for name in given if name]


def sent_path(base, path):
    """The path requests puts on the wire for base + path: invalid characters encoded once,
    escapes already there kept (upper-case hex), dot segments resolved."""
    if not path:
        return ""
    prepared = requests.models.PreparedRequest()
    prepared.prepare_url(base + path + "/-", None)
    return urlsplit(prepared.url).path[:-2]


def signed_headers_problem(names):
    """A message naming the option when names is not a valid signed_headers list, or None."""
    given = _header_names(names)
    unknown = sorted(set(name for name in given if name not in SIGNABLE_HEADERS))
    if unknown:
        return ("signed_headers may only name %s; got %s"
                % (", ".join(SIGNABLE_HEADERS), ", ".join(repr(name) for name in unknown)))
    if "host" not in given:
        return ("signed_headers must include host (it is always signed), got [%s]"
                % ", ".join(given))
    return None


def normalize_signed_headers(names):
    """The signed header names as the vendor writes them: lower-case, sorted, each once."""
    return tuple(sorted(set(_header_names(names))))


def headers_to_sign(names, host, body_bytes):
    """{lower-case name: the exact value sent} for the signed headers of one request.

    content-length is the length of the exact body bytes (0 without a body);
    content-type is the Content-Type sent.
    """
    values = {"host": host, "content-type": CONTENT_TYPE,
              "content-length": str(len(body_bytes) if body_bytes is not None else 0)}
    return dict((name, values[name]) for name in names)


def server_time(date_header):
    """An aware UTC datetime from an HTTP Date header (RFC 7231), or None."""
    if not date_header:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(str(date_header))
        if moment is None:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=datetime.timezone.utc)
        return moment.astimezone(datetime.timezone.utc)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None  # only a diagnostic: an unusable Date is ignored


def suggested_dialect(names):
    """The signed_headers to try after a 401 with names: the three-header dialect, or host alone."""
    suggestion = DIALECTS[-1] if tuple(names) != DIALECTS[-1] else DIALECTS[0]
    return "[%s]" % ", ".join(suggestion)


def encode_query(query):
    """The query string as sent. The server decodes it before checking the signature."""
    return "&".join(
        "%s=%s" % (quote(str(key), safe="-._~"), quote(str(value), safe="-._~"))
        for key, value in query.items()
    )


class IsalesClient(object):
    """A signed, paged, retrying CC-iSales OpenAPI client."""

    def __init__(self, url, access_key, secret_key, validate_certs=True, ca_path=None,
                 timeout=30, retries=3, session=None, clock=None, sleep=None,
                 backoff=0.5, signed_headers=DEFAULT_SIGNED_HEADERS, stop=None, log=None):
        if requests is None:
            raise IsalesError("the requests Python library is required", KIND_CONFIG)
        problem = check_url(url) or access_key_problem(access_key)
        if problem:
            raise IsalesError(problem, KIND_CONFIG)
        parts = urlsplit(url)
        self.base = "%s://%s" % (parts.scheme, parts.netloc)
        # A path prefix (a server behind a reverse proxy): the signature covers it exactly as it
        # goes on the wire, which is what the server sees: "/my%20gw" as written, "/my gw" encoded once.
        self.path_prefix = sent_path(self.base, parts.path.rstrip("/"))
        self.host = host_header(url)
        self.access_key = access_key
        self._secret_key = secret_key
        problem = signed_headers_problem(signed_headers)
        if problem:
            raise IsalesError(problem, KIND_CONFIG)
        self.signed_headers = normalize_signed_headers(signed_headers)
        self.timeout = timeout
        # Set (a threading.Event) when the task is stopped: no request starts after it.
        self.stop = stop
        # log(text): where every write is recorded as it happens (the module's syslog / journal).
        self.log = log
        self.retries = max(0, int(retries))
        self.backoff = backoff
        # _sleep looked up at each call, so that tests can replace it after a client exists.
        self.sleep = sleep if sleep is not None else (lambda seconds: _sleep(seconds, stop))
        self.clock = clock or (lambda: datetime.datetime.now(datetime.timezone.utc))
        # requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE replace verify=True,
        # so resolve True to requests' own bundle: the options, not the
        # environment, decide what is trusted.
        if not validate_certs:
            self.verify = False
        elif ca_path:
            self.verify = ca_path
        else:
            self.verify = requests.utils.DEFAULT_CA_BUNDLE_PATH
        if session is None:
            session = requests.Session()
            # Read the environment once, here, instead of on every request: with
            # trust_env requests scans every environment variable for proxy settings
            # and reads ~/.netrc per call (a quarter of the client's CPU per request
            # here), and a netrc entry for the host would replace the signed
            # Authorization header. Proxies from the environment still apply.
            session.trust_env = False
            session.proxies.update(requests.utils.get_environ_proxies(self.base))
        # The proxy this client's requests go through, as shown in messages (never its credentials).
        proxy = session.proxies.get(parts.scheme) or session.proxies.get("all")
        self.proxy = redact_url(proxy) if proxy else None
        self.session = session
        self.session.headers["User-Agent"] = USER_AGENT
        self.requests_made = 0
        self._runner = None
        self.writes = []
        self.last_return_code = None
        self.last_return_desc = None
        self.last_write = None
        # What the last answer told about the server: its HTTP status, its clock
        # (Date header) and this host's clock when the answer came, and the latency.
        self.last_exchange = None

    def close(self):
        """Close the client's connections."""
        close = getattr(self.session, "close", None)
        if close is not None:
            close()

    # -- low level -----------------------------------------------------------

    def path(self, call, params):
        """The path of call (a Call) with its path parameters params, as sent and signed: each
        parameter is one percent-encoded path segment."""
        return self.path_prefix + API_PREFIX + call.template.format(
            **dict((name, quote(str(value), safe="")) for name, value in params.items()))

    def _send_once(self, method, path, query=None, body=None, signed_headers=None):
        """One signed request. Returns the parsed JSON object; raises IsalesError.

        signed_headers overrides the client's dialect for this request (a probe). No text
        of the failure carries the request's Authorization value or its signature, even when
        the server or a library echoes it.
        """
        call = "%s %s" % (method, path)
        if self.stop is not None and self.stop.is_set():
            raise IsalesError("%s was not sent: the task is being stopped" % call, KIND_CANCELLED,
                              call=call, sent=False)
        body_text = None
        if body is not None:
            body_text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        data = body_text.encode("utf-8") if body_text is not None else None
        names = self.signed_headers if signed_headers is None else normalize_signed_headers(signed_headers)
        signed = headers_to_sign(names, self.host, data)
        signed_at = self.clock()
        headers = {"Host": self.host, "Content-Type": CONTENT_TYPE, "Accept": "application/json"}
        # A signed header is sent with exactly the signed value (Content-Length: 0 included).
        headers.update((_SENT_NAMES[name], value) for name, value in signed.items())
        authorization = signer.authorization(
            self.access_key, self._secret_key, method, path, query=query,
            headers=signed, body=body_text, timestamp=signed_at)
        headers["Authorization"] = authorization
        url = self.base + path
        if query:
            url += "?" + encode_query(query)
        self.requests_made += 1
        try:
            payload = self._exchange(method, url, data, headers, call, names, signed_at, authorization)
        except IsalesError as err:
            # The server's own text (returnDesc, a quoted body) was scrubbed when it was read (_parse);
            # a library's words (a refused header, a proxy's reply) are scrubbed here.
            err.reword(_scrub(err.msg, authorization))
            err.reason = _scrub(err.reason, authorization)
            raise
        return payload

    def _exchange(self, method, url, data, headers, call, names, signed_at, authorization):
        """The request and its answer, parsed; IsalesError for every failure."""
        started = time.monotonic()
        try:
            response, body = self._complete(method, url, data, headers)
        except _Deadline:
            raise IsalesError("no complete answer from %s within the timeout of %ss for %s%s"
                              % (self.base, self.timeout, call, self._through()), KIND_TIMEOUT, call=call,
                              reason="no complete answer within %ss" % self.timeout)
        except _TooLarge:
            raise IsalesError("the server's answer to %s is larger than %d MiB, which no answer of this API is; "
                              "it was not read further" % (call, MAX_ANSWER_BYTES // (1024 * 1024)),
                              KIND_PARSE, call=call, sent=True)
        except requests.exceptions.SSLError as exc:
            raise IsalesError(
                "TLS verification of %s failed for %s: %s. If the server's certificate is "
                "issued by a private CA, give that CA's bundle in ca_path (or ISALES_CA_PATH)."
                % (self.base, call, _short(exc)), KIND_TLS, call=call, sent=False, reason=_short(exc))
        except requests.exceptions.ProxyError as exc:
            raise IsalesError("the proxy %s failed for %s (to %s): %s" % (self.proxy, call, self.base, _short(exc)),
                              KIND_CONNECTION, call=call, sent=False, reason="proxy %s: %s" % (self.proxy, _short(exc)))
        except requests.exceptions.ConnectTimeout:
            raise IsalesError("connecting to %s timed out after %ss for %s%s"
                              % (self.base, self.timeout, call, self._through()), KIND_TIMEOUT, call=call,
                              sent=False, reason="connect timeout after %ss" % self.timeout)
        except requests.exceptions.Timeout:
            raise IsalesError("no answer from %s within the timeout of %ss for %s%s"
                              % (self.base, self.timeout, call, self._through()), KIND_TIMEOUT, call=call,
                              reason="no answer within %ss" % self.timeout)
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as exc:
            raise IsalesError("the server's answer to %s broke off or could not be decoded: %s" % (call, _short(exc)),
                              KIND_PARSE, call=call, sent=True)
        except requests.exceptions.ConnectionError as exc:
            if _unusable_head(exc):
                raise IsalesError("the server's answer to %s cannot be used: %s" % (call, _short(exc)),
                                  KIND_PARSE, call=call, sent=True)
            raise IsalesError("connection to %s failed for %s%s: %s" % (self.base, call, self._through(), _short(exc)),
                              KIND_CONNECTION, call=call, reason=_short(exc))
        except requests.exceptions.RequestException as exc:
            raise IsalesError("request %s failed: %s" % (call, _short(exc)), KIND_CONNECTION, call=call)
        elapsed = time.monotonic() - started
        self.last_exchange = dict(
            status=response.status_code,
            latency_ms=round(elapsed * 1000.0, 1),
            server_time=server_time(response.headers.get("Date")),
            # This host's clock half-way through the exchange, when the server most likely stamped its Date.
            local_time=self.clock() - datetime.timedelta(seconds=elapsed / 2),
            signed_headers=names,
        )
        return self._parse(response, body, call, signed_at, authorization)

    def _through(self):
        return " (through the proxy %s)" % self.proxy if self.proxy else ""

    def _complete(self, method, url, data, headers):
        """(response, body bytes): the whole exchange - connecting, sending, the headers and the complete
        body - within self.timeout seconds (_Deadline otherwise, even when a server trickles its answer),
        and the body within MAX_ANSWER_BYTES after decompression (_TooLarge otherwise).

        The exchange runs on the client's exchange thread while this one waits, so that the wait has one
        deadline and stays interruptible; an exchange given up on is left to end on its own, and the next
        one gets a new thread."""
        if self._runner is None:
            self._runner = _Runner()
        runner = self._runner
        try:
            return runner.run(lambda: self._fetch(method, url, data, headers), self.timeout)
        except _Deadline:
            self._runner = None  # still busy with the abandoned exchange
            raise

    def _fetch(self, method, url, data, headers):
        response = self.session.request(method, url, data=data, headers=headers, timeout=self.timeout,
                                        verify=self.verify, allow_redirects=False, stream=True)
        chunks = []
        size = 0
        try:
            for chunk in response.iter_content(_CHUNK):
                size += len(chunk)
                if size > MAX_ANSWER_BYTES:
                    raise _TooLarge()
                chunks.append(chunk)
        except BaseException:
            response.close()  # the connection is not given back half read
            raise
        return response, b"".join(chunks)

    def clock_skew(self):
        """Seconds the server's clock (Date of the last answer) is ahead of this host's, or None."""
        exchange = self.last_exchange
        if not exchange or exchange["server_time"] is None:
            return None
        # A Date is cut to the second: on average the server's clock was half a second further on.
        return int(round((exchange["server_time"] - exchange["local_time"]).total_seconds() + 0.5))

    def _rejected_signature(self, call, status, code, desc, signed_at):
        """The IsalesError of a 401: the three likely causes, with the clocks when the answer tells."""
        clock = "this request was signed at %s UTC" % signer.format_timestamp(signed_at)
        skew = self.clock_skew()
        if skew is not None:
            clock += "; the server's clock said %s UTC, %d s %s" % (
                signer.format_timestamp(self.last_exchange["server_time"]), abs(skew),
                "ahead" if skew >= 0 else "behind")
        msg = ("the server rejected the request signature (HTTP 401%s) for %s. Likely causes: a wrong access_key "
               "or secret_key; a clock difference of more than 15 minutes between this host and the server (%s); "
               "or the server may expect other signed headers than %s — try signed_headers: %s (env "
               "ISALES_SIGNED_HEADERS), or run huawei.isales.isales_server_info with probe_signing: true."
               % (": %s" % desc if desc else "", call, clock, ";".join(self.last_exchange["signed_headers"]),
                  suggested_dialect(self.last_exchange["signed_headers"])))
        err = IsalesError(msg, KIND_AUTH, call=call, status=status, return_code=code, return_desc=desc, sent=True)
        if skew is not None:
            err.server_time = signer.format_timestamp(self.last_exchange["server_time"])
            err.clock_skew_seconds = skew
        return err

    def _parse(self, response, body, call, signed_at, authorization):
        """The answer's JSON object, once its status, body and returnCode say the call succeeded.

        The server's text is quoted only once the request's Authorization (or its signature) is taken out
        of it: an echo must not reach an output, not even in part where a quote is cut."""
        status = response.status_code
        content_type = response.headers.get("Content-Type")
        payload = problem = None
        try:
            text = decode(body, content_type)
            payload = parse(text) if text.strip() else None
        except BadAnswer as exc:
            problem = str(exc)
            text = body.decode("utf-8", "replace")  # to quote it, never to use it
        except ValueError:
            pass  # not JSON: said below, with the text
        if not isinstance(payload, dict):
            payload = None
        text = _scrub(text, authorization)
        code, desc = _return_of(payload, authorization)
        if status == 401:
            raise self._rejected_signature(call, status, code if code is not _BAD else None, desc, signed_at)
        if status < 200 or status >= 300:
            raise self._http_error(response, call, text, code if code is not _BAD else None, desc)
        if problem is not None or payload is None or code is _BAD:
            raise IsalesError(
                "the server's answer to %s cannot be used (HTTP %d, %s): %s: %s"
                % (call, status, content_type or "no content type",
                   problem or ("a returnCode that is not text" if code is _BAD else "not a JSON object"),
                   excerpt(text) if text.strip() else "<empty body>"),
                KIND_PARSE, call=call, status=status, sent=True)
        self.last_return_code = code
        self.last_return_desc = desc
        if code is None:
            # After a write this is an unknown outcome (the server may have acted), like a broken answer.
            raise IsalesError(
                "the server's answer to %s (HTTP %d) has no returnCode: %s" % (call, status, excerpt(text)),
                KIND_PARSE, call=call, status=status, sent=True)
        if code != SUCCESS:
            meaning = meaning_of(code)
            raise IsalesError(
                "%s failed with returnCode %s (%s)%s" % (
                    call, code, meaning or "not in the vendor's error table",
                    ": %s" % desc if desc else ""),
                KIND_API, call=call, status=status, return_code=code, return_desc=desc, sent=True)
        return payload

    def _http_error(self, response, call, text, code, desc):
        """The IsalesError of an answer whose HTTP status is not 2xx (a redirect names where it points)."""
        status = response.status_code
        msg = "HTTP %d from the server for %s%s" % (status, call, self._through())
        if 300 <= status < 400:
            location = response.headers.get("Location")
            msg += (": it redirects to %s, and the collection does not follow redirects (check url and its path)"
                    % (excerpt(redact_url(location)) if location else "nowhere (no Location header)"))
        elif desc:
            msg += ": %s" % desc
        elif text.strip():
            msg += "; the answer began: %s" % excerpt(text)
        err = IsalesError(msg, KIND_HTTP, call=call, status=status, return_code=code, return_desc=desc, sent=True)
        err.retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return err

    def read(self, method, path, query=None, signed_headers=None):
        """A read, retried up to self.retries times on transient failures and on broken answers
        (truncated, not JSON, no returnCode): a read is safe to repeat."""
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._send_once(method, path, query=query, signed_headers=signed_headers)
            except IsalesError as err:
                if not (err.retryable or err.kind == KIND_PARSE) or attempt > self.retries:
                    if attempt > 1:
                        err.attempts = attempt
                        err.reword("%s (gave up after %d tries)" % (err.msg, attempt))
                    raise
                self.sleep(retry_delay(attempt, err.retry_after, base=self.backoff))

    def write(self, method, path, body=None):
        """A write, sent exactly once: the caller decides what an ambiguous failure means.

        Every write is recorded in self.writes ({call, outcome: done / refused / not sent / unknown,
        returnCode}) and, as it happens, in the log: a run stopped from outside leaves a record."""
        record = {"call": "%s %s" % (method, path), "outcome": "unknown", "returnCode": None}
        self.writes.append(record)
        self._log_write("sending %s %s" % (record["call"], json.dumps(body, ensure_ascii=False) if body else ""))
        try:
            payload = self._send_once(method, path, body=body)
        except IsalesError as err:
            record["returnCode"] = err.return_code
            record["outcome"] = "not sent" if err.sent is False else ("unknown" if err.ambiguous else "refused")
            self._log_write("%s %s: %s" % (record["outcome"], record["call"], err.msg))
            raise
        record.update(outcome="done", returnCode=self.last_return_code)
        self._log_write("done %s: returnCode %s" % (record["call"], self.last_return_code))
        self.last_write = (self.last_return_code, self.last_return_desc)
        return payload

    def _log_write(self, text):
        if self.log is not None:
            self.log("huawei.isales write: %s" % text)

    @property
    def reported_return(self):
        """(returnCode, returnDesc) a task reports: its last write's, or its last read's when it wrote nothing."""
        return self.last_write or (self.last_return_code, self.last_return_desc)

    def pause(self, attempt, err=None):
        """Back off before another try of a write the caller has reconciled."""
        self.sleep(retry_delay(attempt, err.retry_after if err is not None else None, base=self.backoff))

    def send(self, call, params, query=None, body=None, signed_headers=None):
        """(the answer, "METHOD path") of one call of a resource with path parameters params:
        a read (retried) when the call is a GET, else a write (sent once)."""
        path = self.path(call, params)
        if call.method == "GET":
            payload = self.read("GET", path, query=query, signed_headers=signed_headers)
        else:
            payload = self.write(call.method, path, body=body)
        return payload, "%s %s" % (call.method, path)


# How much of an answer's body is read at a time.
_CHUNK = 64 * 1024
# A returnCode that is neither text nor an integer.
_BAD = object()


class _Deadline(Exception):
    """The exchange did not complete within the timeout."""


class _Runner(object):
    """A thread that runs one client's exchanges, one at a time, for callers that wait with a deadline."""

    def __init__(self):
        self._jobs = queue.Queue()
        worker = threading.Thread(target=self._work, name="isales-exchange")
        worker.daemon = True  # an exchange given up on must not keep the module's process alive
        worker.start()

    def _work(self):
        while True:
            job, box, done = self._jobs.get()
            try:
                box["answer"] = job()
            except BaseException as exc:  # pylint: disable=broad-except  # handed to the waiting thread
                box["error"] = exc
            done.set()

    def run(self, job, timeout):
        """job()'s result (or its exception), or _Deadline when it has not ended within timeout seconds."""
        box = {}
        done = threading.Event()
        self._jobs.put((job, box, done))
        if not done.wait(timeout):
            raise _Deadline()
        if "error" in box:
            raise box["error"]
        return box["answer"]


class _TooLarge(Exception):
    """The answer's body is larger than MAX_ANSWER_BYTES."""


def _return_of(payload, authorization):
    """(returnCode as text, None or _BAD; returnDesc cut to BODY_EXCERPT characters, or None) of an answer.

    Either may come as resultCode / resultDesc. A returnDesc that is not text is left out: it is
    only ever shown."""
    if payload is None:
        return None, None
    code = payload.get("returnCode", payload.get("resultCode"))
    desc = payload.get("returnDesc", payload.get("resultDesc"))
    if isinstance(code, bool) or not isinstance(code, (str, int, type(None))):
        code = _BAD
    elif code is not None:
        code = str(code)
    if not isinstance(desc, str):
        desc = None
    else:
        desc = _scrub(desc, authorization)
    if desc is not None and len(desc) > BODY_EXCERPT:
        desc = desc[:BODY_EXCERPT] + "..."
    return code, desc


def _scrub(text, authorization):
    """text without any copy of a request's Authorization value, or of its signature alone: a server or a
    library that echoes them must not make them part of a task's output."""
    if not isinstance(text, str):
        return text
    for secret in (authorization, authorization.rsplit("/", 1)[-1]):
        text = text.replace(secret, "<redacted>")
    return text


def _sleep(seconds, stop=None):
    """Every wait of the clients (backoff, settling): one seam for tests. A stop event ends it early."""
    if stop is None:
        time.sleep(seconds)
    else:
        stop.wait(seconds)


def _innermost(exc):
    """The exception at the bottom of a requests exception: the ssl or socket error, when there is one.

    requests wraps urllib3's MaxRetryError (its cause in .reason), which wraps the error of the
    connection (in .reason, args[0] or __cause__)."""
    seen = set()
    current = exc
    while id(current) not in seen:
        seen.add(id(current))
        inner = getattr(current, "reason", None)
        if not isinstance(inner, BaseException) and current.args and isinstance(current.args[0], BaseException):
            inner = current.args[0]
        if not isinstance(inner, BaseException):
            inner = current.__cause__ or current.__context__
        if not isinstance(inner, BaseException):
            break
        current = inner
    return current


def _unusable_head(exc):
    """Whether a requests ConnectionError is an answer whose status line, headers or framing cannot be read
    (too many headers, a line too long, garbage where a status or a chunk size goes), not a lost connection."""
    cause = _innermost(exc)
    return isinstance(cause, (http.client.HTTPException, ValueError)) and not isinstance(cause, OSError)


def _short(exc):
    """A one-line reason from a requests exception, in the words of its innermost cause: "certificate verify
    failed: unable to get local issuer certificate", "[Errno 111] Connection refused"."""
    cause = _innermost(exc)
    text = ""
    if isinstance(cause, ssl.SSLCertVerificationError) and getattr(cause, "verify_message", None):
        text = "certificate verify failed: %s" % cause.verify_message
    elif isinstance(cause, OSError) and cause.strerror and cause.errno is not None:
        text = "[Errno %s] %s" % (cause.errno, cause.strerror)
    elif cause is not exc:
        text = str(cause)
    if not text.strip():
        text = str(exc)
        for marker in ("Caused by ", "(Caused by "):
            if marker in text:
                text = text.split(marker, 1)[1].rstrip(")")
    return redact_url(" ".join(text.split()))[:BODY_EXCERPT]
