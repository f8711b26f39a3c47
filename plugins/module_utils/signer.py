# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CC-iSales "auth-v2" AK/SK request signature, as pure functions.

Nothing here touches the network, the clock (except as a default) or
Ansible: every input is an argument, so the algorithm can be checked
against known-answer vectors.

    Authorization: auth-v2/{AK}/{timestamp}/{signedHeaders}/{signature}
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import hashlib
import hmac

AUTH_VERSION = "auth-v2"
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

# Bytes left as they are by normalize(): A-Z a-z 0-9 - . _ ~
_UNRESERVED = frozenset(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
)


def _to_text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if value is None:
        return u""
    return u"%s" % (value,)


def normalize(value):
    """Percent-encode every UTF-8 byte of value except A-Z a-z 0-9 - . _ ~ (upper-case hex)."""
    data = _to_text(value).encode("utf-8")
    return "".join(
        chr(byte) if byte in _UNRESERVED else "%%%02X" % byte
        for byte in bytearray(data)
    )


def format_timestamp(timestamp=None):
    """The auth-v2 timestamp (UTC, seconds, literal Z) of an aware datetime, or of now."""
    if timestamp is None:
        timestamp = datetime.datetime.now(_utc())
    if timestamp.tzinfo is None or timestamp.utcoffset() is None:
        raise ValueError("timestamp must be a timezone-aware datetime")
    return timestamp.astimezone(_utc()).strftime(TIMESTAMP_FORMAT)


def _utc():
    return datetime.timezone.utc


def signed_header_names(headers):
    """The ';'-joined, lower-case, sorted names of the headers to sign."""
    return ";".join(sorted(set(_to_text(name).lower() for name in (headers or {}))))


def canonical_query(query):
    """'k=v' pairs, each side normalized, sorted by their encoded bytes, joined by '&'."""
    pairs = [
        "%s=%s" % (normalize(key), normalize(value))
        for key, value in (query or {}).items()
    ]
    return "&".join(sorted(pairs))


def canonical_headers(headers):
    lines = [
        "%s:%s" % (normalize(_to_text(name).lower()), normalize(value))
        for name, value in (headers or {}).items()
    ]
    return "\n".join(sorted(lines))


def canonical_request(method, path, query=None, headers=None, body=None):
    """The text that is signed (step 6 of the algorithm)."""
    lines = [_to_text(method).upper(), _to_text(path)]
    if query:
        lines.append(canonical_query(query))
    lines.append(signed_header_names(headers))
    lines.append(canonical_headers(headers))
    return "\n".join(lines) + "\n" + (normalize(body) if body is not None else "")


def auth_prefix(access_key, timestamp_text, signed_headers):
    return "%s/%s/%s/%s" % (AUTH_VERSION, access_key, timestamp_text, signed_headers)


def _hmac_hex(key, message):
    return hmac.new(
        _to_text(key).encode("utf-8"), _to_text(message).encode("utf-8"), hashlib.sha256
    ).hexdigest()


def signing_key(secret_key, prefix):
    """lowerhex(HMAC-SHA256(SK, prefix))."""
    return _hmac_hex(secret_key, prefix)


def signature(secret_key, prefix, canonical):
    """lowerhex(HMAC-SHA256(signingKey as its hex text, canonical request))."""
    return _hmac_hex(signing_key(secret_key, prefix), canonical)


def authorization(access_key, secret_key, method, path, query=None,
                  headers=None, body=None, timestamp=None):
    """The whole Authorization header value for one request.

    query: dict of raw (not encoded) query parameters, or None.
    headers: dict of the headers to sign (name -> value, names in any case);
        it must hold the exact Host value that is sent.
    body: the exact JSON text that is sent, or None.
    timestamp: a timezone-aware datetime; None means now (UTC).
    """
    prefix = auth_prefix(access_key, format_timestamp(timestamp), signed_header_names(headers))
    canonical = canonical_request(method, path, query=query, headers=headers, body=body)
    return "%s/%s" % (prefix, signature(secret_key, prefix, canonical))
