# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The auth-v2 signer against the vendor's own known answers."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import json
import os
import re

import pytest

from ansible_collections.huawei.isales.plugins.module_utils import signer

VECTORS_FILE = os.path.join(os.path.dirname(__file__), "fixtures", "auth-v2-vectors.json")
with open(VECTORS_FILE, "rb") as handle:
    VECTORS = json.loads(handle.read().decode("utf-8"))["vectors"]

UTC = datetime.timezone.utc


def when(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def test_there_are_vectors():
    assert len(VECTORS) >= 10


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_canonical_request(vector):
    assert signer.canonical_request(
        vector["method"], vector["uri"], query=vector["query"],
        headers=vector["signed_headers"], body=vector["body"]) == vector["canonical_request"]


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_signing_key(vector):
    prefix = signer.auth_prefix(vector["access_key"], vector["timestamp"],
                                signer.signed_header_names(vector["signed_headers"]))
    assert signer.signing_key(vector["secret_key"], prefix) == vector["signing_key"]


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_authorization(vector):
    assert signer.authorization(
        vector["access_key"], vector["secret_key"], vector["method"], vector["uri"],
        query=vector["query"], headers=vector["signed_headers"], body=vector["body"],
        timestamp=when(vector["timestamp"])) == vector["authorization"]


def test_other_timezones_are_converted_to_utc():
    vector = VECTORS[0]
    plus8 = datetime.timezone(datetime.timedelta(hours=8))
    local = when(vector["timestamp"]).astimezone(plus8)
    assert signer.authorization(
        vector["access_key"], vector["secret_key"], vector["method"], vector["uri"],
        headers=vector["signed_headers"], body=vector["body"], timestamp=local) == vector["authorization"]


def test_naive_timestamp_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        signer.authorization("ak", "sk", "GET", "/x", headers={"host": "h"},
                             timestamp=datetime.datetime(2024, 1, 1))


def test_default_timestamp_is_now_utc():
    before = datetime.datetime.now(UTC).replace(microsecond=0)
    value = signer.authorization("ak", "sk", "GET", "/x", headers={"host": "h"})
    after = datetime.datetime.now(UTC)
    stamp = when(value.split("/")[2])
    assert before <= stamp <= after


def test_shape_and_secret_not_in_header():
    value = signer.authorization("my-ak", "very-secret-sk", "DELETE", "/a/b", headers={"Host": "h:1"})
    assert re.match(r"^auth-v2/my-ak/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/host/[0-9a-f]{64}$", value)
    assert "very-secret-sk" not in value


def test_query_pairs_sort_by_encoded_bytes():
    # 'B' (0x42) sorts before 'a' (0x61) byte-wise; '%' (0x25) before letters.
    assert signer.canonical_query({"a": "1", "B": "2", " x": "3"}) == "%20x=3&B=2&a=1"


def test_normalize_keeps_only_unreserved():
    assert signer.normalize(u"Az09-._~ /:\"é") == "Az09-._~%20%2F%3A%22%C3%A9"


def test_body_changes_signature():
    args = dict(access_key="ak", secret_key="sk", method="POST", path="/p",
                headers={"host": "h"}, timestamp=when("2024-01-01T00:00:00Z"))
    assert signer.authorization(body='{"a":1}', **args) != signer.authorization(body='{"a":2}', **args)


def test_empty_body_and_no_body_sign_alike():
    # normalize("") is "", so the vendor's canonical request cannot tell them apart.
    args = dict(access_key="ak", secret_key="sk", method="POST", path="/p",
                headers={"host": "h"}, timestamp=when("2024-01-01T00:00:00Z"))
    assert signer.authorization(body=None, **args) == signer.authorization(body="", **args)
