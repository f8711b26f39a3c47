# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property-based tests (hypothesis) of isales_ob_result's input handling.

Whatever the options hold -- any vdn_id, display_result (empty, huge, any Unicode, control
characters), obs_codes (empty, duplicates, non-strings, huge lists), result_code -- main() ends
either in a correctly signed request whose body is exactly the signed bytes, or in a clean
failure that names the option; no other exception ever leaves main().

The number of examples is fixed (ISALES_HYPOTHESIS_EXAMPLES, default below) and the run is
derandomized, so CI time is bounded and a failure reproduces.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import importlib.util
import json
import os
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from ansible_collections.huawei.isales.plugins.module_utils import signer
from ansible_collections.huawei.isales.plugins.modules import isales_ob_result

HYPOTHESIS_EXAMPLES = int(os.environ.get("ISALES_HYPOTHESIS_EXAMPLES", "150"))
PROFILE = settings(max_examples=HYPOTHESIS_EXAMPLES, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                          HealthCheck.data_too_large])

SECRET = u"prop-secret-\u00e9/+="
AK = "prop-ak"
BASE = "https://isales.example.com:28443"
HOST = "isales.example.com:28443"
API = re.compile(re.escape(BASE + "/rest/isales/v1/openapi/campaigns/") + r"(-?\d+)/(?:(\w+)/)?(\w+)(\?.*)?$")
OK = {"returnCode": "0200000", "resultCode": "0200000", "returnDesc": "ok", "resultDesc": "ok"}
OPTIONS = ("vdn_id", "display_result", "obs_codes", "result_code", "state")
SIMULATOR = os.path.join(os.path.dirname(__file__), "..", "..", "..", "simulator", "isales_simulator.py")


def load_simulator():
    """The simulator module, imported by path: its verify() checks our signatures independently."""
    spec = importlib.util.spec_from_file_location("isales_simulator_for_properties", os.path.abspath(SIMULATOR))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SIM = load_simulator()


class Server(object):
    """Mocked answers: a listing that is empty or holds the managed result, and success for every write."""

    def __init__(self, rsps, existing=None):
        self.existing = existing
        self.requests = []
        for method in (responses.GET, responses.POST, responses.DELETE):
            rsps.add_callback(method, API, callback=self.answer)

    def answer(self, request):
        self.requests.append(request)
        operation = API.match(request.url).group(3)
        body = dict(OK)
        if operation == "queryOBSResults":
            data = [self.existing] if self.existing else []
            body.update(totalCount=len(data), data=data)
        elif operation == "queryObsResultDetail":
            body["obResult"] = dict(self.existing, vdnId=1, resultMapList=[
                {"mapId": "1", "defId": self.existing["defId"], "failCode": "99999", "vdnId": 1}])
        elif operation == "createObResult":
            body["defId"] = "1645244637"
        return 200, {"Content-Type": "application/json;charset=UTF-8"}, json.dumps(body)


def check_signed(request):
    """The request carries a valid auth-v2 signature over exactly what was sent; returns its body text."""
    authorization = request.headers["Authorization"]
    fields = authorization.split("/")
    assert fields[0] == "auth-v2" and fields[1] == AK and fields[3] == "host", authorization
    stamp = datetime.datetime.strptime(fields[2], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    parts = urlsplit(request.url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True)) or None
    raw = request.body
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    body_text = raw.decode("utf-8") if raw is not None else None
    assert request.headers["Host"] == HOST
    # Recomputed with the signer over the bytes that went out: the body sent is the body signed.
    expected = signer.authorization(AK, SECRET, request.method, parts.path, query=query,
                                    headers={"host": HOST}, body=body_text, timestamp=stamp)
    assert authorization == expected
    # And the simulator's independent verifier agrees.
    verdict = SIM.verify(request.method, parts.path, parse_qsl(parts.query, keep_blank_values=True),
                         {"Host": HOST}, body_text, authorization, {AK: SECRET}, stamp.timestamp())
    assert verdict == "ok", verdict
    if raw is not None:
        assert int(request.headers["Content-Length"]) == len(raw)
    return body_text


def run(run_module, params, existing=None):
    """main() with params; (result, failed, requests). Only a clean exit may leave main()."""
    args = dict(url=BASE, access_key=AK, secret_key=SECRET, retries=0, timeout=5)
    args.update(params)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        server = Server(rsps, existing)
        result, failed = run_module(isales_ob_result.main, args)
    text = json.dumps(result, default=repr)
    assert SECRET not in text
    assert "Traceback" not in text
    return result, failed, server.requests


def assert_clean_failure(result, requests, option=None):
    msg = result["msg"]
    assert msg and isinstance(msg, str)
    named = [name for name in OPTIONS if name in msg]
    assert named, "the failure names no option: %r" % msg
    if option:
        assert option in msg, (option, msg)
    assert requests == [], "bad input reached the server"


def assert_exact_write(requests, params, action):
    """Every request signed; the write's body is exactly the options, codes sorted and unique."""
    bodies = [check_signed(request) for request in requests]
    writes = [(request, body) for request, body in zip(requests, bodies) if request.method != "GET"]
    assert len(writes) == 1
    request, body = writes[0]
    assert request.url.endswith(action)
    sent = json.loads(body)
    assert sent["displayResult"] == params["display_result"]
    assert sent["obsCodes"] == sorted(set(params["obs_codes"]))
    if action == "createObResult":
        assert sent.get("resultCode") == (params.get("result_code") or None)
    return sent


# ---------------------------------------------------------------- strategies

# Any text: every Unicode scalar value, control characters included. Not lone surrogates: they
# never reach a module (ansible-core 2.19's controller refuses them: "Refusing to deserialize an
# invalid UTF8 string value"), and AnsibleModule() itself fails on them (_log_invocation encodes
# every argument as UTF-8) before a module's own code runs.
ANY_TEXT = st.text(max_size=40)
# Valid Unicode scalar values without control characters: what a display text may hold
# (not starting or ending with whitespace, which a trimming server would change).
CLEAN_CHAR = st.characters(blacklist_categories=("Cs", "Cc"))
DISPLAY = st.one_of(
    st.text(CLEAN_CHAR, min_size=1, max_size=60).filter(lambda text: text.strip() and text == text.strip()),
    st.builds(lambda char, count: char * count, CLEAN_CHAR.filter(lambda c: c.strip()), st.integers(1000, 5000)),
)
CODE = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=8).filter(
    lambda code: code == code.strip())
CODES = st.lists(CODE, min_size=1, max_size=30).flatmap(
    lambda codes: st.lists(st.sampled_from(codes), min_size=1, max_size=60))   # duplicates, any order
HUGE_CODES = st.integers(200, 1000).map(lambda n: ["%05d" % (i % 997) for i in range(n)])
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-2 ** 70, 2 ** 70), st.floats(allow_nan=True),
                   ANY_TEXT)  # module arguments arrive as JSON: no bytes
ANYTHING = st.recursive(
    SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=10)


# ---------------------------------------------------------------- properties

@PROFILE
# Valid values are repeated in one_of() so that a fair share of the examples gets past validation.
@given(vdn_id=st.one_of(st.integers(1, 9999), st.integers(1, 9999), st.integers(-10 ** 6, 10 ** 6), ANYTHING),
       display_result=st.one_of(DISPLAY, DISPLAY, ANY_TEXT, ANYTHING),
       obs_codes=st.one_of(CODES, CODES, HUGE_CODES, st.none(), st.lists(st.one_of(ANY_TEXT, SCALAR), max_size=40),
                           ANYTHING),
       result_code=st.one_of(st.none(), st.none(), CODE, ANY_TEXT, ANYTHING),
       state=st.one_of(st.sampled_from(["present", "absent"]), st.just("present"), ANYTHING),
       existing=st.booleans())
def test_any_input_gives_a_signed_request_or_a_clean_failure(run_module, vdn_id, display_result, obs_codes,
                                                             result_code, state, existing):
    params = dict(vdn_id=vdn_id, display_result=display_result, obs_codes=obs_codes, result_code=result_code,
                  state=state)
    params = dict((key, value) for key, value in params.items() if value is not None)
    listed = None
    if existing and isinstance(display_result, str):
        listed = {"defId": "77", "displayResult": display_result,
                  "resultCode": result_code if isinstance(result_code, str) else ""}
    result, failed, requests = run(run_module, params, listed)
    event("clean failure" if failed else "signed requests")
    if failed:
        if requests:
            # Past validation, only the server (mocked: always success) could fail a task.
            pytest.fail("a failure after requests were sent: %r" % result["msg"])
        assert_clean_failure(result, requests)
    else:
        for request in requests:
            check_signed(request)
        assert requests, "a success without asking the server"


@PROFILE
@given(vdn_id=st.integers(1, 9999), display_result=DISPLAY, obs_codes=st.one_of(CODES, HUGE_CODES),
       result_code=st.one_of(st.none(), CODE.filter(lambda code: len(code) <= 7)))
def test_valid_input_creates_exactly_what_was_asked(run_module, vdn_id, display_result, obs_codes, result_code):
    params = dict(vdn_id=vdn_id, display_result=display_result, obs_codes=obs_codes)
    if result_code is not None:
        params["result_code"] = result_code
    result, failed, requests = run(run_module, params)
    assert not failed, result["msg"]
    assert result["changed"] and result["defId"] == "1645244637"
    assert_exact_write(requests, params, "createObResult")
    # list, create, and the list read again after the create (for another run's copy)
    assert [urlsplit(request.url).path.split("/")[-2] for request in requests] == [str(vdn_id)] * 3


@PROFILE
@given(vdn_id=st.integers(1, 9999), display_result=DISPLAY, obs_codes=CODES,
       result_code=CODE.filter(lambda code: len(code) <= 7))
def test_valid_input_updates_exactly_what_was_asked(run_module, vdn_id, display_result, obs_codes, result_code):
    assume(sorted(set(obs_codes)) != ["99999"])
    params = dict(vdn_id=vdn_id, display_result=display_result, obs_codes=obs_codes, result_code=result_code)
    listed = {"defId": "77", "displayResult": display_result, "resultCode": result_code}
    result, failed, requests = run(run_module, params, listed)
    assert not failed, result["msg"]
    assert result["changed"] and result["defId"] == "77"
    sent = assert_exact_write(requests, params, "updateObResult")
    assert sent["defId"] == "77"


@PROFILE
@given(before=st.text(max_size=20), control=st.characters(whitelist_categories=("Cc",)), after=st.text(max_size=20))
def test_control_characters_in_display_result_fail_naming_it(run_module, before, control, after):
    result, failed, requests = run(run_module, dict(vdn_id=12, display_result=before + control + after,
                                                    obs_codes=["00602"]))
    assert failed
    assert_clean_failure(result, requests, "display_result")


@PROFILE
@given(vdn_id=st.one_of(st.integers(max_value=0), st.integers(min_value=10000)))
def test_out_of_range_vdn_id_fails_naming_it(run_module, vdn_id):
    result, failed, requests = run(run_module, dict(vdn_id=vdn_id, display_result="x", obs_codes=["00602"]))
    assert failed
    assert_clean_failure(result, requests, "vdn_id")


@PROFILE
@given(result_code=st.one_of(st.just(""), st.text(st.characters(blacklist_categories=("Cs",)), min_size=8, max_size=200)))
def test_result_code_out_of_length_fails_naming_it(run_module, result_code):
    result, failed, requests = run(run_module, dict(vdn_id=12, display_result="x", obs_codes=["00602"],
                                                    result_code=result_code))
    assert failed
    assert_clean_failure(result, requests, "result_code")


@PROFILE
@given(obs_codes=st.one_of(st.just([]), st.lists(st.sampled_from(["", " ", "\t", "\n", "\x00", " 00602"]), min_size=1, max_size=5)))
def test_empty_or_blank_obs_codes_fail_naming_it(run_module, obs_codes):
    result, failed, requests = run(run_module, dict(vdn_id=12, display_result="x", obs_codes=obs_codes))
    assert failed
    assert_clean_failure(result, requests, "obs_codes")
