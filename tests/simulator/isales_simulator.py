# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A stand-in for a Huawei CC-iSales server: its OpenAPI over HTTPS.

Test infrastructure only (stdlib + trustme).  This is the core: HTTP, TLS, the
auth-v2 verifier, the request log, faults, the admin API and the command line;
the resources (their checks, state and answers) and the routing table are in
sim_resources/ beside this file.  It verifies auth-v2 signatures with
its own implementation (written independently of plugins/module_utils/signer.py),
answers with the vendor's codes, and has an unauthenticated admin API under
/__sim/ to seed data, inject faults and read the request log.

    ISALES_SIM_SECRET_KEY=... python isales_simulator.py --state-dir DIR [--port 0]

See README.md beside this file.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import collections
import datetime
import email.utils
import hashlib
import hmac
import http.server
import itertools
import json
import os
import re
import signal
import socket
import socketserver
import ssl
import struct
import sys
import tempfile
import threading
import time
from urllib.parse import parse_qsl, quote

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:   # also when this file is loaded by path (importlib) rather than run or imported
    sys.path.insert(0, HERE)

# pylint: disable=wrong-import-position
from sim_resources import API_BASE, ROUTES, campaign_admin  # noqa: E402
from sim_resources.common import ERR_VALUE, Call, Rejected, Store, answer, parse_int, parse_vdn, success  # noqa: E402
from sim_resources.ob_results import results  # noqa: E402
from sim_resources.obs_codes import catalogues  # noqa: E402

SECRET_ENV = "ISALES_SIM_SECRET_KEY"
DEFAULT_ACCESS_KEY = "sim-ak"
ADMIN_PREFIX = "/__sim"
MAX_SKEW_SECONDS = 15 * 60
MAX_BODY_BYTES = 64 * 1024 * 1024
LOG_CAPACITY = 200000
HANDSHAKE_TIMEOUT = 10
JSON_TYPE = "application/json;charset=UTF-8"
HTML_TYPE = "text/html;charset=UTF-8"

CALLS = tuple(call for _method, _template, call, _handler in ROUTES)
READ_ONLY_CALLS = frozenset(call for method, _template, call, _handler in ROUTES if method == "GET")
# Kinds whose answer is put on the wire slowly (delay: seconds per byte) or without end.
PACED_KINDS = ("trickle_headers", "trickle_body", "endless_body")
# Kinds that answer with the real answer (a made-up success when a write is not performed) changed on the wire.
MANGLING_KINDS = ("rewrite", "bad_date") + PACED_KINDS + (
    "oversized_body", "deep_nesting", "huge_number", "nan", "undecodable", "surrogate", "echo_auth")
FAULT_KINDS = ("status", "reset_before", "reset_after", "slow", "html", "empty", "truncated", "rate_limit",
               "late") + MANGLING_KINDS
FAULT_FIELDS = frozenset(("call", "kind", "count", "act", "status", "delay", "retry_after", "set", "unset", "where"))
TRICKLE_SECONDS = 5            # a trickled answer is cut off (the connection closed) after this long
ENDLESS_SECONDS = 10           # an endless body stops after this long ...
ENDLESS_BYTES = 20 * 1024 * 1024   # ... or this many bytes, whichever comes first (no last chunk: the answer breaks off)
OVERSIZED_BYTES = 9 * 1024 * 1024  # padding of an oversized_body answer
DEEP_LEVELS = 100000           # nesting of a deep_nesting answer's extra field
HUGE_DIGITS = 5000             # digits of a huge_number answer's extra field
BAD_DATE = "Fri, 31 Dec 99999 23:59:59 GMT"
_STAMP_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z")


# ---------------------------------------------------------------- auth-v2 verifier
# Written on purpose without looking like plugins/module_utils/signer.py, so that the
# two implementations cross-check each other.

def _pct(text):
    """The vendor's normalize(): UTF-8, everything but A-Z a-z 0-9 - . _ ~ as %XX."""
    return quote(text, safe="-._~")


def canonical_request(method, path, query_pairs, signed_names, header_values, body):
    """The string the client signed.

    query_pairs: (name, value) pairs as decoded from the query string.
    signed_names: the signedHeaders field of the Authorization header, verbatim.
    header_values: {lower-case header name: value} for every signed header.
    body: the request body text, or None.
    """
    parts = [method, path]
    if query_pairs:
        parts.append("&".join(sorted("%s=%s" % (_pct(k), _pct(v)) for k, v in query_pairs)))
    parts.append(signed_names)
    parts.append("\n".join(sorted("%s:%s" % (_pct(k), _pct(v)) for k, v in header_values.items())))
    return "\n".join(parts) + "\n" + (_pct(body) if body else "")


def stamp_seconds(text):
    match = _STAMP_RE.fullmatch(text)
    if not match:
        return None
    try:
        moment = datetime.datetime(*[int(g) for g in match.groups()], tzinfo=datetime.timezone.utc)
    except ValueError:
        return None
    return moment.timestamp()


def _first_values(headers):
    """{lower-case name: first value} of a dict or an http.client.HTTPMessage."""
    out = {}
    for name, value in headers.items():
        out.setdefault(name.lower(), value)
    return out


def _authorization_fields(authorization):
    """(access key, timestamp, signedHeaders, signature) of an auth-v2 value, or None."""
    scheme, _sep, rest = (authorization or "").partition("/")
    if scheme != "auth-v2" or not rest:
        return None
    fields = rest.rsplit("/", 3)
    if len(fields) != 4 or not all(fields):
        return None
    return fields


def declared_signed_headers(authorization):
    """The signedHeaders field exactly as an Authorization value declares it; None when missing or malformed."""
    fields = _authorization_fields(authorization)
    if fields is None or not all(fields[2].split(";")):
        return None
    return fields[2]


def parse_signed_names(value):
    """The sorted, lower-case, distinct header names of a list or of a comma-separated text.

    For --require-signed and the require_signed config key; None stays None (no strict mode).
    """
    if value is None:
        return None
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise ValueError("require_signed must be a list of header names or null")
    names = sorted(set(name.strip().lower() for name in value))
    if not names or not all(names):
        raise ValueError("require_signed must not hold empty names")
    if any(";" in name or "/" in name for name in names):
        raise ValueError("require_signed: header names cannot hold ; or /")
    if "host" not in names:
        raise ValueError("require_signed must include host (the signature always covers it)")
    return names


def verify(method, path, query_pairs, headers, body, authorization, secrets, now, max_skew=MAX_SKEW_SECONDS,
           required=None):
    """Check one request's auth-v2 Authorization header.

    headers: all request headers (dict or HTTPMessage); the signed ones are taken from here.
    secrets: {access key: secret key}.  now: the server clock, epoch seconds.
    required: None, or the sorted lower-case names the signed-header set must be exactly (strict mode).
    Returns "ok", or the reason for the rejection.
    """
    if not authorization:
        return "missing authorization"
    fields = _authorization_fields(authorization)
    if fields is None:
        return "malformed authorization"
    access_key, stamp, signed_names, given = fields
    secret = secrets.get(access_key)
    if secret is None:
        return "unknown access key"
    names = signed_names.split(";")
    if not all(names):
        return "malformed authorization"
    lowered = [name.lower() for name in names]
    if required is not None and set(lowered) != set(required):
        return "signed headers must be %s" % ";".join(sorted(required))
    if "host" not in lowered:
        return "host not signed"
    moment = stamp_seconds(stamp)
    if moment is None:
        return "malformed authorization: bad timestamp"
    if abs(now - moment) > max_skew:
        return "request time skew exceeds 15 minutes"
    actual = _first_values(headers)
    header_values = {}
    for name in lowered:
        if name not in actual:
            return "signed header not present: %s" % name
        header_values[name] = actual[name]
    prefix = "/".join(("auth-v2", access_key, stamp, signed_names))
    derived = hmac.new(secret.encode("utf-8"), prefix.encode("utf-8"), hashlib.sha256).hexdigest()
    text = canonical_request(method, path, query_pairs, signed_names, header_values, body)
    expected = hmac.new(derived.encode("ascii"), text.encode("utf-8"), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode("ascii"), given.encode("utf-8")):
        return "signature mismatch"
    return "ok"


# ---------------------------------------------------------------- routing

class _Template:
    """One line of ROUTES, its path template split into segments; a "{name}" segment is a path parameter."""

    __slots__ = ("method", "segments", "call", "handler", "params", "rank", "operation")

    def __init__(self, method, template, call, handler):
        self.method = method
        self.segments = tuple(template.strip("/").split("/"))
        self.call = call
        self.handler = handler
        self.params = frozenset(seg[1:-1] for seg in self.segments if _is_param(seg))
        self.rank = tuple(_is_param(seg) for seg in self.segments)   # literal segments sort first
        literals = [seg for seg in self.segments if not _is_param(seg)]
        self.operation = literals[-1] if literals else call   # what a made-up success answer names

    def bind(self, parts):
        """{name: value} of the path parameters when the path's segments fit the template, else None."""
        if len(parts) != len(self.segments):
            return None
        params = {}
        for segment, part in zip(self.segments, parts):
            if _is_param(segment):
                params[segment[1:-1]] = part
            elif segment != part:
                return None
        return params


def _is_param(segment):
    return segment.startswith("{") and segment.endswith("}")


def compile_routes(routes):
    """The _Templates of route lines, most literal first: position by position a literal segment beats a {param},
    so /{vdnId}/queryOBSResults is tried before /{vdnId}/{campaignId}."""
    return sorted((_Template(*line) for line in routes), key=lambda template: template.rank)


_TEMPLATES = compile_routes(ROUTES)
PATH_PARAMS = {call: frozenset().union(*[t.params for t in _TEMPLATES if t.call == call]) for call in CALLS}
PATH_PARAMS["any"] = frozenset().union(*PATH_PARAMS.values())


class _Route:
    """Where an API request goes: the route's template (None: nowhere), its path parameters, and the
    methods its path allows (a request of another method is answered 405)."""

    __slots__ = ("template", "params", "allowed")

    def __init__(self, template=None, params=None, allowed=()):
        self.template = template
        self.params = params or {}
        self.allowed = allowed

    @property
    def call(self):
        return self.template.call if self.template else "unknown"

    def fits(self, method):
        """Whether the request goes to the route's handler (a known call with its method)."""
        return self.template is not None and self.template.method == method


def route(path, method, templates=None):
    """The _Route of an API path (without any --path-prefix) and method; templates: compile_routes(), of ROUTES
    when None."""
    if not path or not path.startswith(API_BASE + "/"):
        return _Route()
    parts = path[len(API_BASE) + 1:].split("/")
    found = [(template, template.bind(parts)) for template in (templates or _TEMPLATES)]
    found = [(template, params) for template, params in found if params is not None]
    if not found:
        return _Route()
    same = [(template, params) for template, params in found if template.segments == found[0][0].segments]
    template, params = next((pair for pair in same if pair[0].method == method), same[0])
    return _Route(template, params, tuple(sorted(set(pair[0].method for pair in same))))


class RequestLog:
    """The API request log, in memory and optionally appended to a JSON-lines file."""

    def __init__(self, path=None):
        self._lock = threading.Lock()
        self._records = collections.deque(maxlen=LOG_CAPACITY)
        self._seq = itertools.count(1)   # never rewound, so ?since= stays meaningful
        self._file = open(path, "a", encoding="utf-8") if path else None  # pylint: disable=consider-using-with

    def add(self, record):
        with self._lock:
            record["seq"] = next(self._seq)
            self._records.append(record)
            if self._file is not None:
                self._file.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
                self._file.flush()

    def amend(self, record, changes):
        """Update a logged record in place (a late write is done); the log file gets it again, same seq."""
        with self._lock:
            record.update(changes)
            if self._file is not None:
                self._file.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
                self._file.flush()

    def since(self, seq):
        with self._lock:
            return [dict(r) for r in self._records if r["seq"] > seq]

    def clear(self):
        with self._lock:
            count = len(self._records)
            self._records.clear()
            return count

    def close(self):
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None


def normalize_fault(rule):
    """A fault rule with every field filled in; ValueError when it makes no sense."""
    if not isinstance(rule, dict):
        raise ValueError("a fault rule must be an object")
    unknown = set(rule) - FAULT_FIELDS
    if unknown:
        raise ValueError("unknown fault fields: %s" % ", ".join(sorted(unknown)))
    call = rule.get("call", "any")
    kind = rule.get("kind")
    if call not in CALLS + ("any",):
        raise ValueError("fault call must be one of %s, any" % ", ".join(CALLS))
    if kind not in FAULT_KINDS:
        raise ValueError("fault kind must be one of %s" % ", ".join(FAULT_KINDS))
    out = {"call": call, "kind": kind}
    out["count"] = _number(rule, "count", 1, integer=True, minimum=1)
    act = rule.get("act", kind in ("reset_after", "late") + MANGLING_KINDS)
    if not isinstance(act, bool):
        raise ValueError("fault act must be true or false")
    out["act"] = act
    out["status"] = _number(rule, "status", {"status": 503, "rate_limit": 429, "late": 504}.get(kind, 200),
                            integer=True, minimum=100)
    if out["status"] > 599:
        raise ValueError("fault status must be 100..599")
    out["delay"] = _number(rule, "delay", {"slow": 5.0, "late": 5.0, "trickle_headers": 0.25,
                                           "trickle_body": 0.25}.get(kind, 0), minimum=0)
    if kind.startswith("trickle_") and not 0 < out["delay"] <= TRICKLE_SECONDS:
        raise ValueError("fault delay of %s (seconds per byte) must be more than 0 and at most %d"
                         % (kind, TRICKLE_SECONDS))
    out["retry_after"] = _number(rule, "retry_after", 1 if kind == "rate_limit" else None, integer=True, minimum=0)
    if kind == "rewrite":
        out["set"], out["unset"] = _rewrite_fields(rule)
    elif "set" in rule or "unset" in rule:
        raise ValueError("fault set and unset are only allowed with kind rewrite")
    if "where" in rule:
        out["where"] = _where(rule["where"], call)
    return out


def _where(where, call):
    """The where selector of a rule: {path parameter name: value}; the rule fires only where they are equal."""
    if not isinstance(where, dict) or not all(isinstance(value, str) for value in where.values()):
        raise ValueError("fault where must be an object of path parameter names and string values")
    unknown = set(where) - PATH_PARAMS[call]
    if unknown:
        raise ValueError("fault where: %s not a path parameter of %s (there are: %s)" % (
            ", ".join(sorted(unknown)), call, ", ".join(sorted(PATH_PARAMS[call]))))
    return dict(where)


def _rewrite_fields(rule):
    """(set, unset) of a rewrite rule: an object of top-level fields, a list of top-level keys."""
    changes = rule.get("set", {})
    removals = rule.get("unset", [])
    if not isinstance(changes, dict):
        raise ValueError("fault set must be an object")
    if not isinstance(removals, list) or not all(isinstance(key, str) for key in removals):
        raise ValueError("fault unset must be a list of strings")
    return dict(changes), list(removals)


def rewritten(payload, fault):
    """A copy of a JSON answer with the rule's set fields replaced or added and its unset keys removed."""
    out = dict(payload)
    out.update(fault["set"])
    for key in fault["unset"]:
        out.pop(key, None)
    return out


def _number(rule, key, default, integer=False, minimum=None):
    value = rule.get(key, default)
    if value is None and default is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int if integer else (int, float)):
        raise ValueError("fault %s must be a%s number" % (key, "n integer" if integer else ""))
    if minimum is not None and value < minimum:
        raise ValueError("fault %s must be %s or more" % (key, minimum))
    return value


class Faults:
    """Fault rules, consumed in order: the first rule matching a call fires."""

    def __init__(self):
        self._lock = threading.Lock()
        self._rules = []

    def add(self, rules):
        rules = [normalize_fault(rule) for rule in rules]
        with self._lock:
            self._rules.extend(rules)
            return len(self._rules)

    def take(self, call, params):
        """The first rule for this call whose where (if any) the request's path parameters fit; it counts down."""
        with self._lock:
            for index, rule in enumerate(self._rules):
                where = rule.get("where", {})
                if rule["call"] in (call, "any") and all(params.get(name) == where[name] for name in where):
                    rule["count"] -= 1
                    if rule["count"] <= 0:
                        del self._rules[index]
                    return dict(rule)
        return None

    def pending(self):
        with self._lock:
            return [dict(rule) for rule in self._rules]

    def clear(self):
        with self._lock:
            count = len(self._rules)
            self._rules = []
            return count


def load_faults(text):
    """--faults: a JSON list / {"faults": [...]} given inline, or the path of a file holding one."""
    text = text.strip()
    if not text.startswith(("[", "{")):
        with open(text, encoding="utf-8") as handle:
            text = handle.read()
    data = json.loads(text)
    if isinstance(data, dict):
        data = data.get("faults")
    if not isinstance(data, list):
        raise ValueError("faults must be a JSON list (or {\"faults\": [...]})")
    return data


def _gateway_page(status):
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    title = "%d %s" % (status, phrase)
    return ("<html>\r\n<head><title>%s</title></head>\r\n<body>\r\n<center><h1>%s</h1></center>\r\n"
            "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n" % (title, title)).encode("utf-8")


# ---------------------------------------------------------------- HTTP

class ApiRequest:
    """What the answer of an API request depends on, kept apart from the handler (a late write outlives it)."""

    __slots__ = ("method", "path", "api_path", "pairs", "body", "content_type", "auth")

    def __init__(self, method, path, api_path, pairs, body, content_type):
        self.method = method
        self.path = path              # the raw path as received, --path-prefix included
        self.api_path = api_path      # without the prefix; None when the prefix is missing
        self.pairs = pairs
        self.body = body
        self.content_type = content_type or ""
        self.auth = None


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "CC-iSales-Simulator/1.0"
    sys_version = ""
    timeout = 120   # idle keep-alive connections are closed after this

    def log_message(self, *args):  # pylint: disable=arguments-differ
        """Quiet: the request log is under /__sim/requests."""

    def date_time_string(self, timestamp=None):
        """The Date header of every answer: the simulator's clock (real time + offset), IMF-fixdate."""
        return email.utils.formatdate(self.sim.now() if timestamp is None else timestamp, usegmt=True)

    def do_GET(self):  # pylint: disable=invalid-name
        self._dispatch()

    do_POST = do_GET  # pylint: disable=invalid-name
    do_PUT = do_GET  # pylint: disable=invalid-name
    do_DELETE = do_GET  # pylint: disable=invalid-name
    do_PATCH = do_GET  # pylint: disable=invalid-name

    @property
    def sim(self):
        return self.server.sim

    # --- plumbing

    def _read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline(1024).split(b";", 1)[0].strip() or b"x", 16)
                if size == 0:
                    while self.rfile.readline(65536).strip():
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(16)
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        size = int(length)
        if not 0 <= size <= MAX_BODY_BYTES:
            raise ValueError("bad Content-Length")
        return self.rfile.read(size)

    def _send(self, status, data, content_type, extra_headers=()):
        """One answer; a Date among extra_headers replaces the simulator's; a Wire body goes out as it says."""
        extra = [(name, value) for name, value in extra_headers if name != "Date"]
        self.send_response_only(status)
        self.send_header("Server", self.version_string())
        self.send_header("Date", dict(extra_headers).get("Date") or self.date_time_string())
        self.send_header("Content-Type", content_type)
        if getattr(data, "endless", False):
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(len(data)))
        for name, value in extra:
            self.send_header(name, value)
        if not isinstance(data, Wire):
            self.end_headers()
            self.wfile.write(data)
            return
        # Trickled or endless: bounded in time, then the connection is closed whatever is left unsent.
        self.close_connection = True
        self._headers_buffer.append(b"\r\n")
        head, self._headers_buffer = b"".join(self._headers_buffer), []
        deadline = time.monotonic() + (ENDLESS_SECONDS if data.endless else TRICKLE_SECONDS)
        self.connection.settimeout(ENDLESS_SECONDS)
        if self._trickle(head, data.head_pace, deadline):
            if data.endless:
                self._endless(data, deadline)
            else:
                self._trickle(data, data.body_pace, deadline)

    def _trickle(self, data, pace, deadline):
        """data a byte every pace seconds (at once when pace is 0); False when the deadline came first."""
        if not pace:
            self.wfile.write(data)
            return True
        for index in range(len(data)):
            if time.monotonic() + pace > deadline:
                return False
            time.sleep(pace)
            self.wfile.write(data[index:index + 1])
        return True

    def _endless(self, data, deadline):
        """A chunked body: data, then padding, until ENDLESS_BYTES or the deadline; never its last chunk."""
        sent, chunk = 0, data
        while sent < ENDLESS_BYTES and time.monotonic() < deadline:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
            chunk = b"x" * 65536

    def _send_json(self, status, payload, extra_headers=()):
        self._send(status, _json_bytes(payload), JSON_TYPE, extra_headers)

    def _reset(self):
        """Drop the connection with a TCP RST and no answer."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass

    def _dispatch(self):
        try:
            raw = self._read_body()
        except ValueError:
            self.close_connection = True
            self._send_json(400, {"error": "unreadable request body"})
            return
        path, _sep, query = self.path.partition("?")
        if path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/"):
            self._admin(path[len(ADMIN_PREFIX):].strip("/"), query, raw)
        else:
            self._api(path, query, raw)

    # --- the OpenAPI

    def _api(self, path, query, raw):
        reply = self.sim.handle_api(self.command, path, query, self.headers, raw)
        if reply is None:
            self._reset()
        else:
            status, content_type, data, extra = reply
            self._send(status, data, content_type, extra)

    # --- the admin API

    def _admin(self, name, query, raw):
        params = dict(parse_qsl(query, keep_blank_values=True))
        handlers = self.sim.admin_handlers()
        methods = {method: handler for (method, path), handler in handlers.items() if path == name}
        if not methods:
            self._send_json(404, {"error": "no such admin resource: /__sim/%s" % name})
            return
        handler = methods.get(self.command)
        if handler is None:
            self._send_json(405, {"error": "method not allowed"}, (("Allow", ", ".join(sorted(methods))),))
            return
        try:
            data = json.loads(raw.decode("utf-8")) if raw.strip() else None
            status, payload = handler(params, data)
        except (ValueError, TypeError, KeyError) as exc:
            self._send_json(400, {"error": str(exc)})
            return
        if name == "shutdown":
            self.close_connection = True
        self._send_json(status, payload)
        if name == "shutdown":
            self.sim.stop("admin shutdown")


class Wire(bytes):
    """An answer's body that the handler sends in its own way: the status line and headers (head_pace) or the
    body (body_pace) a byte every so many seconds, or endless (chunked: the body, then padding without end)."""

    head_pace = 0
    body_pace = 0
    endless = False


def _json_bytes(payload):
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _vdn_for_log(text):
    value = parse_int(text)
    return value if value is not None else text


def _logged_def_id(target, payload):
    """The log's def_id: the path's defId, else the one a create answered (the real answer, not a rewritten one)."""
    return target.params.get("defId") or (payload or {}).get("defId")


def _with_member(data, member):
    """The text of a JSON object (bytes) with one more member, given as raw bytes, before its closing brace."""
    return data[:-1] + (b"," if len(data) > 2 else b"") + member + b"}"


# The member each body-mangling kind adds to the real answer (raw bytes: most are not valid, or not sane, JSON).
_MEMBERS = {
    "oversized_body": lambda: b'"padding":"' + b"x" * OVERSIZED_BYTES + b'"',
    "deep_nesting": lambda: b'"extra":' + b"[" * DEEP_LEVELS + b"]" * DEEP_LEVELS,
    "huge_number": lambda: b'"extraNumber":' + b"9" * HUGE_DIGITS,
    "nan": lambda: b'"extraNumber":NaN',
    "undecodable": lambda: b'"extraText":"caf\xff"',   # declared UTF-8; 0xff is never UTF-8
    "surrogate": lambda: b'"extraText":"\\ud800"',    # a lone surrogate escape
}


def mangled(kind, fault, payload, authorization):
    """(content type, body) of a body-mangling kind's answer made from the JSON answer payload."""
    data = _json_bytes(payload)
    if kind in _MEMBERS:
        return JSON_TYPE, _with_member(data, _MEMBERS[kind]())
    if kind == "echo_auth":
        quote_text = "the request had Authorization: %s" % (authorization or "")
        if not 200 <= fault["status"] < 300:   # a gateway's error page that quotes the request
            return HTML_TYPE, _gateway_page(fault["status"]).replace(b"<hr>", b"<pre>%s</pre><hr>"
                                                                     % quote_text.encode("utf-8"))
        desc = "%s (%s)" % (payload.get("returnDesc") or "", quote_text)
        return JSON_TYPE, _json_bytes(dict(payload, returnDesc=desc, resultDesc=desc))
    wire = Wire(data[:-1] + b',"padding":"' if kind == "endless_body" else data)
    wire.head_pace = fault["delay"] if kind == "trickle_headers" else 0
    wire.body_pace = fault["delay"] if kind == "trickle_body" else 0
    wire.endless = kind == "endless_body"
    return JSON_TYPE, wire


def wire_answer(fault, status, payload, extra, target, authorization=None):
    """(status, content type, body bytes, extra headers) of an API answer as its fault shapes it; None: a TCP reset.

    authorization: the request's Authorization value (an echo_auth answer quotes it)."""
    kind = fault["kind"] if fault else None
    if kind in ("reset_before", "reset_after"):
        return None
    if kind in ("status", "html", "rate_limit", "late"):
        retry = fault["retry_after"]
        return status, HTML_TYPE, _gateway_page(status), (("Retry-After", str(retry)),) if retry is not None else ()
    if kind == "empty":
        return status, JSON_TYPE, b"", ()
    if kind == "truncated":
        text = _json_bytes(payload or success(target.template.operation)).decode("utf-8")
        return status, JSON_TYPE, text[:len(text) // 2].encode("utf-8"), ()
    if kind == "rewrite":
        return status, JSON_TYPE, _json_bytes(rewritten(payload or success(target.template.operation), fault)), extra
    if kind == "bad_date":
        return status, JSON_TYPE, _json_bytes(payload or success(target.template.operation)), \
            tuple(extra) + (("Date", BAD_DATE),)
    if kind in MANGLING_KINDS:
        content_type, data = mangled(kind, fault, payload or success(target.template.operation), authorization)
        return status, content_type, data, extra
    return status, JSON_TYPE, _json_bytes(payload), extra


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, address, sim):
        self.sim = sim
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        http.server.ThreadingHTTPServer.__init__(self, address, _Handler)

    def server_bind(self):
        # HTTPServer.server_bind() does a reverse DNS lookup (getfqdn); not wanted here.
        socketserver.TCPServer.server_bind(self)
        self.server_name = "localhost"
        self.server_port = self.server_address[1]

    def finish_request(self, request, client_address):
        # The TLS handshake runs here, in the connection's own thread, not in the accept loop.
        try:
            request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            request.settimeout(HANDSHAKE_TIMEOUT)
            conn = self.sim.tls.wrap_socket(request, server_side=True)
        except OSError:
            return
        try:
            self.RequestHandlerClass(conn, client_address, self)
        except OSError:
            pass
        finally:
            conn.close()


# ---------------------------------------------------------------- the simulator

class Simulator:
    """One running server: its state, TLS context, admin API and lifetime."""

    def __init__(self, args, secret_key):
        self.args = args
        self.secrets = {args.access_key: secret_key}
        self.prefix = check_path_prefix(args.path_prefix)
        self.start_config = {
            "latency_ms": args.latency_ms, "clock_offset_minutes": args.clock_offset_minutes,
            "clock_offset_seconds": args.clock_offset_seconds, "require_signed": parse_signed_names(args.require_signed),
            "total_count": args.total_count, "trim_display": args.trim_display,
        }
        self.config = dict(self.start_config)
        self._generation = 0   # counts resets; a pending late write of an older generation is dropped
        self.store = Store(default_obs_codes=args.default_obs_codes)
        self.faults = Faults()
        if args.faults:
            self.faults.add(load_faults(args.faults))
        if getattr(args, "campaigns", None):
            campaign_admin.seed_file(self.store, args.campaigns)
        self.log = RequestLog(args.log_file)
        self.tls = None
        self.started = time.time()
        self._stop_event = threading.Event()
        self._stop_reason = None
        self._signalled = None
        self._admin = {
            ("GET", "health"): self._health,
            ("POST", "shutdown"): self._shutdown,
            ("POST", "reset"): self._reset,
            ("GET", "requests"): self._requests,
            ("DELETE", "requests"): self._clear_requests,
            ("GET", "results"): self._results,
            ("POST", "results"): self._seed,
            ("DELETE", "results"): self._delete_results,
            ("GET", "obs-codes"): self._obs_codes,
            ("PUT", "obs-codes"): self._set_obs_codes,
            ("GET", "config"): self._get_config,
            ("POST", "config"): self._set_config,
            ("GET", "faults"): self._get_faults,
            ("POST", "faults"): self._add_faults,
            ("DELETE", "faults"): self._clear_faults,
        }
        self._admin.update(campaign_admin.handlers(self.store))

    def now(self):
        """The server clock: real time plus the configured offsets (minutes and seconds add up)."""
        return time.time() + self.config["clock_offset_minutes"] * 60.0 + self.config["clock_offset_seconds"]

    def api_path(self, path):
        """The raw path without --path-prefix, for routing; None when the path lacks the prefix."""
        if not self.prefix:
            return path
        return path[len(self.prefix):] if path.startswith(self.prefix + "/") else None

    def authenticate(self, request, headers):
        """The verifier's verdict on a request: "ok" or the reason for the 401."""
        return verify(request.method, request.path, request.pairs, headers, request.body,
                      headers.get("Authorization"), self.secrets, self.now(), required=self.config["require_signed"])

    def handle_api(self, method, path, query, headers, raw):
        """Serve one API request: logged, faults applied, done (or not) as they say.

        path and query: raw, as received; headers: a dict or HTTPMessage; raw: the body bytes.
        Returns (status, content type, body bytes, extra headers), or None for a TCP reset.
        """
        started = time.time()
        if self.config["latency_ms"] > 0:
            time.sleep(self.config["latency_ms"] / 1000.0)
        pairs = parse_qsl(query, keep_blank_values=True)
        body = raw.decode("utf-8", "replace") if raw else None
        request = ApiRequest(method, path, self.api_path(path), pairs, body, headers.get("Content-Type"))
        target = route(request.api_path, method)
        request.auth = self.authenticate(request, headers)
        fault = self.faults.take(target.call, target.params) if target.fits(method) else None
        kind = fault["kind"] if fault else None
        if fault and fault["delay"] and kind not in ("late", "trickle_headers", "trickle_body"):
            time.sleep(fault["delay"])
        perform = fault is None or kind == "slow" or (fault["act"] and kind != "late")
        status, payload, extra = 0, None, ()
        if perform or (kind in ("truncated",) + MANGLING_KINDS and target.call in READ_ONLY_CALLS):
            status, payload, extra = self.perform(request, target)
            perform = True
        record = {
            "time": started, "method": method, "path": path, "query": dict(reversed(pairs)),
            "vdn_id": _vdn_for_log(target.params.get("vdnId")), "call": target.call,
            "def_id": _logged_def_id(target, payload), "auth": request.auth,
            "signed_headers": declared_signed_headers(headers.get("Authorization")),
            "fault": kind, "performed": perform or (kind == "late" and fault["act"]),
            "returnCode": payload.get("returnCode") if payload else None,
            "body": body if body is not None else "",
        }
        if kind in ("reset_before", "reset_after"):
            sent = None
        elif kind in (None, "slow"):
            sent = status
        else:
            sent = fault["status"]
        record["status"] = sent
        record["duration_ms"] = round((time.time() - started) * 1000.0, 3)
        self.log.add(record)
        if kind == "late" and fault["act"]:
            self.perform_later(fault["delay"], request, target, record)
        return wire_answer(fault, sent, payload, extra, target, headers.get("Authorization"))

    def perform(self, request, target):
        """(HTTP status, JSON answer, extra headers) of an API request, doing what it asks."""
        if request.api_path is None or not request.api_path.startswith("/rest/"):
            return 404, answer("404", "no such resource: %s" % request.path), ()
        if request.auth != "ok":
            return 401, answer("401", request.auth), ()
        if target.template is None:
            return 404, answer("404", "no such resource: %s" % request.path), ()
        if not target.fits(request.method):
            return 405, answer("405", "method %s not allowed" % request.method), (("Allow", ", ".join(target.allowed)),)
        if request.method == "POST" and not request.content_type.lower().startswith("application/json"):
            return 415, answer("415", "Content-Type must be application/json"), ()
        vdn_id = parse_vdn(target.params.get("vdnId"))
        if vdn_id is None:
            return 200, answer(ERR_VALUE, "vdnId must be 1..9999"), ()
        try:
            payload = target.template.handler(Call(self.store, vdn_id, target.params, request.pairs, request.body,
                                                   self.config))
        except Rejected as exc:
            payload = answer(exc.code, exc.desc)
        return 200, payload, ()

    def perform_later(self, delay, request, target, record):
        """A late fault: do the request after delay seconds, then fill in its log record."""
        generation = self._generation

        def write():
            if generation != self._generation:
                return
            _status, payload, _extra = self.perform(request, target)
            changes = {"returnCode": payload.get("returnCode")}
            if _logged_def_id(target, payload):
                changes["def_id"] = _logged_def_id(target, payload)
            self.log.amend(record, changes)

        timer = threading.Timer(delay, write)
        timer.daemon = True
        timer.start()

    def admin_handlers(self):
        return self._admin

    def stop(self, reason):
        self._stop_reason = reason
        self._stop_event.set()

    # --- admin handlers: (query params, JSON body) -> (status, JSON answer)

    def _health(self, _params, _data):
        remaining = None
        if self.args.lifetime > 0:
            remaining = round(self.started + self.args.lifetime - time.time(), 1)
        return 200, {"status": "ok", "pid": os.getpid(), "uptime": round(time.time() - self.started, 1),
                     "lifetime_remaining": remaining}

    def _shutdown(self, _params, _data):
        return 200, {"status": "shutting down"}

    def _reset(self, _params, _data):
        self._generation += 1
        self.store.clear()
        self.faults.clear()
        self.log.clear()
        self.config.update(self.start_config)
        return 200, {"status": "reset"}

    def _requests(self, params, _data):
        since = int(params.get("since") or 0)
        return 200, {"requests": self.log.since(since)}

    def _clear_requests(self, _params, _data):
        return 200, {"cleared": self.log.clear()}

    def _results(self, params, _data):
        if params.get("vdn"):
            vdn_id = _admin_vdn(params["vdn"])
            found = results(self.store).dump([vdn_id])[str(vdn_id)]
            return 200, {"vdnId": vdn_id, "totalCount": len(found), "results": found}
        return 200, {"vdns": results(self.store).dump(self.store.vdn_ids())}

    def _seed(self, _params, data):
        data = _admin_object(data)
        vdn_id = _admin_vdn(data.get("vdnId"))
        items = data.get("results")
        if not isinstance(items, list):
            raise ValueError("results must be a list")
        return 200, {"vdnId": vdn_id, "defIds": results(self.store).seed(vdn_id, items)}

    def _delete_results(self, params, _data):
        if params.get("vdn"):
            results(self.store).remove_vdn(_admin_vdn(params["vdn"]))
        else:   # every VDN: the catalogue overrides go too
            results(self.store).clear()
            catalogues(self.store).clear()
        return 200, {"status": "deleted"}

    def _obs_codes(self, params, _data):
        vdn_id = _admin_vdn(params.get("vdn"))
        return 200, {"vdnId": vdn_id, "obsCodes": catalogues(self.store).catalogue(vdn_id)}

    def _set_obs_codes(self, _params, data):
        data = _admin_object(data)
        vdn_id = _admin_vdn(data.get("vdnId"))
        items = data.get("obsCodes")
        if not isinstance(items, list):
            raise ValueError("obsCodes must be a list")
        return 200, {"vdnId": vdn_id, "count": catalogues(self.store).replace(vdn_id, items)}

    def _get_config(self, _params, _data):
        return 200, dict(self.config)

    def _set_config(self, _params, data):
        data = _admin_object(data)
        unknown = set(data) - set(self.config)
        if unknown:
            raise ValueError("unknown config keys: %s" % ", ".join(sorted(unknown)))
        self.config.update({key: check_config(key, value) for key, value in data.items()})
        return 200, dict(self.config)

    def _get_faults(self, _params, _data):
        return 200, {"faults": self.faults.pending()}

    def _add_faults(self, _params, data):
        rules = _admin_object(data).get("faults")
        if not isinstance(rules, list):
            raise ValueError("faults must be a list")
        return 200, {"pending": self.faults.add(rules)}

    def _clear_faults(self, _params, _data):
        return 200, {"cleared": self.faults.clear()}

    # --- life cycle

    def _on_signal(self, signum, _frame):
        self._signalled = signum   # only a flag: Event.set() is not safe inside a signal handler

    def run(self):
        """Serve until a signal, POST /__sim/shutdown or the end of the lifetime. Returns the exit code."""
        import trustme  # pylint: disable=import-outside-toplevel,import-error

        args = self.args
        state_dir = os.path.abspath(args.state_dir)
        os.makedirs(state_dir, exist_ok=True)
        ca_path = os.path.join(state_dir, "ca.pem")
        info_path = os.path.join(state_dir, "server.json")
        ca = trustme.CA()
        issuer = trustme.CA() if args.self_signed else ca
        self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        issuer.issue_cert("localhost", "127.0.0.1", "::1").configure_cert(self.tls)
        _write_atomically(ca_path, ca.cert_pem.bytes())

        server = _Server((args.host, args.port), self)
        port = server.server_address[1]
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                  name="isales-simulator", daemon=True)
        thread.start()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._on_signal)
        info = {
            "url": "https://localhost:%d%s" % (port, self.prefix), "port": port, "pid": os.getpid(), "ca_path": ca_path,
            "access_key": args.access_key, "admin_url": "https://localhost:%d%s" % (port, ADMIN_PREFIX),
        }
        _write_atomically(info_path, (json.dumps(info, indent=2) + "\n").encode("utf-8"))
        print("isales simulator: %s (state dir %s, pid %d)" % (info["url"], state_dir, os.getpid()), flush=True)
        deadline = time.monotonic() + args.lifetime if args.lifetime > 0 else None
        try:
            while not self._stop_event.is_set() and self._signalled is None:
                if deadline is not None and time.monotonic() >= deadline:
                    self._stop_reason = "lifetime of %ss over" % args.lifetime
                    break
                self._stop_event.wait(0.1)
        finally:
            if self._signalled is not None:
                self._stop_reason = "signal %d" % self._signalled
            server.shutdown()
            server.server_close()
            _remove_if_ours(info_path)
            self.log.close()
            print("isales simulator: stopped (%s)" % (self._stop_reason or "interrupted"), flush=True)
        return 0


def check_config(key, value):
    """The value of one runtime config key, checked (and normalized); ValueError when it makes no sense."""
    if key == "require_signed":
        if isinstance(value, str):
            raise ValueError("require_signed must be a list of header names or null")
        return parse_signed_names(value)
    if key == "trim_display":
        if not isinstance(value, bool):
            raise ValueError("trim_display must be true or false")
        return value
    if key == "total_count":
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise ValueError("total_count must be an integer, 0 or more, or null")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("%s must be a number" % key)
    if key == "latency_ms" and value < 0:
        raise ValueError("latency_ms must be 0 or more")
    return value


def check_path_prefix(prefix):
    """--path-prefix: "" or a raw path like /gw or /my%20gw (no query, no trailing /, not /__sim)."""
    prefix = prefix or ""
    if not prefix:
        return ""
    if not prefix.startswith("/") or prefix.endswith("/") or any(c in prefix for c in "?# ") \
            or prefix == ADMIN_PREFIX or prefix.startswith(ADMIN_PREFIX + "/"):
        raise ValueError("--path-prefix must look like /gw or /my%20gw: a leading /, no trailing /, no ?, # or space, "
                         "not under " + ADMIN_PREFIX)
    return prefix


def _admin_object(data):
    if not isinstance(data, dict):
        raise ValueError("the request body must be a JSON object")
    return data


def _admin_vdn(value):
    vdn_id = parse_vdn(str(value)) if not isinstance(value, bool) else None
    if vdn_id is None:
        raise ValueError("vdn must be 1..9999")
    return vdn_id


def _write_atomically(path, data):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".%s." % os.path.basename(path))
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError:
        os.unlink(tmp)
        raise


def _remove_if_ours(path):
    try:
        with open(path, encoding="utf-8") as handle:
            if json.load(handle).get("pid") != os.getpid():
                return
        os.unlink(path)
    except (OSError, ValueError):
        pass


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description="HTTPS stand-in for the CC-iSales external-result OpenAPI. "
                    "The secret key comes from $%s or --secret-key-file." % SECRET_ENV)
    parser.add_argument("--state-dir", required=True, help="where ca.pem and server.json are written")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (default 0: any free port)")
    parser.add_argument("--access-key", default=DEFAULT_ACCESS_KEY, help="the accepted AK (default %s)" % DEFAULT_ACCESS_KEY)
    parser.add_argument("--secret-key-file", help="file holding the SK (instead of $%s)" % SECRET_ENV)
    parser.add_argument("--lifetime", type=float, default=3600, help="seconds until the server exits by itself (0: never)")
    parser.add_argument("--latency-ms", type=float, default=0, help="delay added to every API request")
    parser.add_argument("--clock-offset-minutes", type=float, default=0, help="server clock = now + this")
    parser.add_argument("--clock-offset-seconds", type=float, default=0,
                        help="added to the server clock too (with --clock-offset-minutes)")
    parser.add_argument("--require-signed", metavar="NAMES",
                        help="strict mode: the signed headers must be exactly these (comma-separated, e.g. "
                             "content-length,content-type,host)")
    parser.add_argument("--total-count", type=int, metavar="N",
                        help="every list / OBS code answer reports this totalCount (the pages stay real)")
    parser.add_argument("--trim-display", action="store_true",
                        help="strip leading/trailing whitespace of displayResult on create and update")
    parser.add_argument("--path-prefix", default="", metavar="PREFIX",
                        help="API paths start with this raw prefix (e.g. /my%%20gw); the admin API does not")
    parser.add_argument("--faults", help="fault rules: a JSON list (or {\"faults\": [...]}) or a file holding one")
    parser.add_argument("--log-file", help="append every API request record to this JSON-lines file")
    parser.add_argument("--campaigns", metavar="FILE",
                        help="campaigns to seed at start: a JSON list of POST /__sim/campaigns bodies "
                             "({\"vdnId\": N, \"campaigns\": [...]})")
    parser.add_argument("--default-obs-codes", type=int, default=60, help="size of the default OBS code catalogue")
    parser.add_argument("--self-signed", action="store_true",
                        help="serve a certificate NOT signed by the CA in ca.pem (TLS failure tests)")
    args = parser.parse_args(argv)
    if args.default_obs_codes < 0 or args.latency_ms < 0 or (args.total_count or 0) < 0:
        parser.error("--default-obs-codes, --latency-ms and --total-count must not be negative")
    try:
        parse_signed_names(args.require_signed)
        check_path_prefix(args.path_prefix)
    except ValueError as exc:
        parser.error(str(exc))
    return args, parser


def read_secret(args):
    if args.secret_key_file:
        with open(args.secret_key_file, encoding="utf-8") as handle:
            return handle.read().rstrip("\r\n")
    return os.environ.get(SECRET_ENV, "")


def main(argv=None):
    args, parser = parse_args(argv)
    try:
        secret = read_secret(args)
    except OSError as exc:
        parser.error("cannot read --secret-key-file: %s" % exc.strerror)
    if not secret:
        parser.error("no secret key: set $%s or give --secret-key-file" % SECRET_ENV)
    try:
        sim = Simulator(args, secret)
    except (OSError, ValueError) as exc:
        parser.error(str(exc))
    try:
        return sim.run()
    except OSError as exc:
        print("isales simulator: %s" % exc, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
