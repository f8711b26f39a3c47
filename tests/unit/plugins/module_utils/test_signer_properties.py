# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property-based tests (hypothesis) of the auth-v2 signer against the simulator's verifier.

tests/simulator/isales_simulator.py has its own verify(), written independently of
plugins/module_utils/signer.py: any Unicode body, query and header value signed by the one
must verify with the other, exactly as a server receives the request (the query as the
client encodes it and the server decodes it), and any change to what was signed must not.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import importlib.util
import os
from urllib.parse import parse_qsl

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ansible_collections.huawei.isales.plugins.module_utils import signer
from ansible_collections.huawei.isales.plugins.module_utils._client import encode_query

HYPOTHESIS_EXAMPLES = int(os.environ.get("ISALES_HYPOTHESIS_EXAMPLES", "150"))
PROFILE = settings(max_examples=HYPOTHESIS_EXAMPLES, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.too_slow])
SIMULATOR = os.path.join(os.path.dirname(__file__), "..", "..", "..", "simulator", "isales_simulator.py")


def load_simulator():
    spec = importlib.util.spec_from_file_location("isales_simulator_for_signer", os.path.abspath(SIMULATOR))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SIM = load_simulator()

# Any Unicode scalar value (no lone surrogates: they have no UTF-8 form, and no request carries one).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
BIG_TEXT = st.one_of(TEXT, st.text(st.characters(blacklist_categories=("Cs",)), min_size=500, max_size=3000))
KEY = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)
HEADER_NAME = st.from_regex(r"x-[a-z0-9-]{1,12}", fullmatch=True)
STAMP = st.datetimes(min_value=datetime.datetime(2000, 1, 1), max_value=datetime.datetime(2099, 12, 31),
                     timezones=st.just(datetime.timezone.utc)).map(lambda moment: moment.replace(microsecond=0))


def server_side(method, path, query, headers, body, authorization, access_key, secret_key, stamp):
    """What the simulator concludes, given the request as it arrives."""
    pairs = parse_qsl(encode_query(query), keep_blank_values=True) if query else []
    return SIM.verify(method, path, pairs, headers, body, authorization, {access_key: secret_key}, stamp.timestamp())


@PROFILE
@given(method=st.sampled_from(["GET", "POST", "DELETE"]),
       vdn=st.integers(1, 9999),
       query=st.dictionaries(KEY, TEXT, max_size=4),
       extra=st.dictionaries(HEADER_NAME, TEXT, max_size=3),
       body=st.one_of(st.none(), BIG_TEXT),
       access_key=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/"), min_size=1, max_size=20),
       secret_key=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40),
       host=st.sampled_from(["isales.example.com:28443", "10.1.1.1:28443", "[::1]:8443", "localhost"]),
       stamp=STAMP)
def test_any_request_signs_and_verifies(method, vdn, query, extra, body, access_key, secret_key, host, stamp):
    path = "/rest/isales/v1/openapi/campaigns/%d/createObResult" % vdn
    headers = dict(extra, host=host)
    authorization = signer.authorization(access_key, secret_key, method, path, query=query or None,
                                         headers=headers, body=body, timestamp=stamp)
    assert server_side(method, path, query, headers, body, authorization, access_key, secret_key, stamp) == "ok"


@PROFILE
@given(body=BIG_TEXT, other=BIG_TEXT, value=TEXT, other_value=TEXT, secret_key=KEY, stamp=STAMP)
def test_a_change_to_anything_signed_is_refused(body, other, value, other_value, secret_key, stamp):
    path = "/rest/isales/v1/openapi/campaigns/1/updateObResult"
    headers = {"host": "isales.example.com:28443", "x-locale": value}
    authorization = signer.authorization("ak", secret_key, "POST", path, query={"q": value}, headers=headers,
                                         body=body, timestamp=stamp)
    assert server_side("POST", path, {"q": value}, headers, body, authorization, "ak", secret_key, stamp) == "ok"
    if other != body:
        assume(other or body)  # the verifier treats an empty body like none
        assert server_side("POST", path, {"q": value}, headers, other, authorization, "ak", secret_key,
                           stamp) == "signature mismatch"
    if other_value != value:
        changed = dict(headers, **{"x-locale": other_value})
        assert server_side("POST", path, {"q": value}, changed, body, authorization, "ak", secret_key,
                           stamp) == "signature mismatch"
        assert server_side("POST", path, {"q": other_value}, headers, body, authorization, "ak", secret_key,
                           stamp) == "signature mismatch"
    assert server_side("POST", path, {"q": value}, headers, body, authorization, "ak", secret_key + "x",
                       stamp) == "signature mismatch"


@PROFILE
@given(body=TEXT, stamp=STAMP, skew=st.integers(-3 * 3600, 3 * 3600))
def test_only_a_skew_over_15_minutes_is_refused(body, stamp, skew):
    path = "/rest/isales/v1/openapi/campaigns/1/createObResult"
    headers = {"host": "h:1"}
    authorization = signer.authorization("ak", "sk", "POST", path, headers=headers, body=body, timestamp=stamp)
    verdict = SIM.verify("POST", path, [], headers, body, authorization, {"ak": "sk"}, stamp.timestamp() + skew)
    assert verdict == ("ok" if abs(skew) <= 15 * 60 else "request time skew exceeds 15 minutes")
