# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every answer is input: decode() and parse() of _answers.py, and the client's use of them.

Examples first (charsets, BOM, numbers, depth, surrogates), then properties (hypothesis):
no body and no Content-Type makes decode + parse raise anything but BadAnswer / ValueError,
and no JSON value answered with HTTP 200 makes the client raise anything but an IsalesError
of kind parse or api.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest
import responses
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.huawei.isales.plugins.module_utils import _answers
from ansible_collections.huawei.isales.plugins.module_utils._answers import (
    INT_DIGITS,
    MAX_DEPTH,
    BadAnswer,
    charset_of,
    decode,
    parse,
)
from ansible_collections.huawei.isales.plugins.module_utils._client import IsalesClient
from ansible_collections.huawei.isales.plugins.module_utils._errors import IsalesError

HYPOTHESIS_EXAMPLES = int(os.environ.get("ISALES_HYPOTHESIS_EXAMPLES", "150"))
PROFILE = settings(max_examples=HYPOTHESIS_EXAMPLES, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

BASE = "https://isales.example.com:28443"
LIST_URL = BASE + "/rest/isales/v1/openapi/campaigns/12/queryOBSResults"
JSON = "application/json"


def nested(depth, leaf="0"):
    """depth arrays, one inside the other, around leaf."""
    return "[" * depth + leaf + "]" * depth


# -- charsets -------------------------------------------------------------------------------


@pytest.mark.parametrize("content_type, charset", [
    (None, None),
    ("", None),
    ("application/json", None),
    ("application/json; charset=UTF-8", "UTF-8"),
    ("application/json;charset=\"latin-1\"", "latin-1"),
    ("application/json; CHARSET='utf-16'", "utf-16"),
    ("application/json; boundary=x; charset=gbk ", "gbk"),
    ("application/json; charset=", None),
])
def test_charset_of(content_type, charset):
    assert charset_of(content_type) == charset


def test_a_declared_latin1_body_is_decoded_as_latin1():
    body = u'{"returnDesc": "caf\u00e9"}'.encode("latin-1")
    assert decode(body, "application/json; charset=ISO-8859-1") == u'{"returnDesc": "caf\u00e9"}'
    # The same bytes are not UTF-8: without the declaration they are refused.
    with pytest.raises(BadAnswer, match="utf-8"):
        decode(body, JSON)


def test_a_utf16_body_with_its_bom_is_decoded():
    text = u'{"returnDesc": "\u672a\u63a5\u901a"}'
    body = text.encode("utf-16")  # with its BOM
    assert body[:2] in (b"\xff\xfe", b"\xfe\xff")
    assert decode(body, "application/json; charset=utf-16") == text
    assert parse(decode(body, "application/json; charset=utf-16")) == {"returnDesc": u"\u672a\u63a5\u901a"}


def test_an_unknown_charset_means_utf8():
    text = u'{"returnDesc": "\u672a\u63a5\u901a"}'
    assert decode(text.encode("utf-8"), "application/json; charset=x-no-such-charset") == text


@pytest.mark.parametrize("body, content_type", [
    (b'{"a": "\xff"}', JSON),
    (b'{"a": "\xc3"}', "application/json; charset=utf-8"),
    (b'{"a": "\xed\xa0\x80"}', JSON),          # a surrogate encoded as UTF-8: not UTF-8
    (b'{"a": 1}\x00', "application/json; charset=utf-16"),  # an odd number of bytes
    (b'{"a": "\xff"}', "application/json; charset=x-no-such-charset"),
    (b'{"a": "\x80"}', "application/json; charset=ascii"),
])
def test_undecodable_bytes_are_a_bad_answer(body, content_type):
    with pytest.raises(BadAnswer, match="not valid"):
        decode(body, content_type)


def test_a_utf8_bom_is_skipped():
    assert decode(b'\xef\xbb\xbf{"a": 1}', JSON) == '{"a": 1}'
    assert decode(b'\xef\xbb\xbf{"a": 1}', "application/json; charset=utf-8") == '{"a": 1}'
    assert parse(decode(b'\xef\xbb\xbf{"a": 1}', JSON)) == {"a": 1}


def test_only_one_bom_is_skipped():
    text = decode(b'\xef\xbb\xbf\xef\xbb\xbf{"a": 1}', JSON)
    assert text == u'\ufeff{"a": 1}'
    with pytest.raises(ValueError):
        parse(text)


@pytest.mark.parametrize("charset", ["rot13", "base64", "hex", "zlib", "bz2", "uu", "quopri"])
def test_a_charset_naming_a_codec_that_is_not_a_text_encoding_is_a_bad_answer_or_utf8(charset):
    """Python knows these names, but they are not text encodings: bytes.decode() raises LookupError.
    The body must then be read as UTF-8 (the charset is not one of text) or refused as a BadAnswer,
    never raise anything else."""
    content_type = "application/json; charset=%s" % charset
    try:
        text = decode(b'{"a": 1}', content_type)
    except BadAnswer:
        return
    except Exception as exc:  # pylint: disable=broad-except
        pytest.fail("decode() raised %s for charset=%s: %s" % (type(exc).__name__, charset, exc))
    assert parse(text) == {"a": 1}


def test_a_body_a_text_codec_cannot_decode_is_a_bad_answer_not_another_unicode_error():
    """punycode raises a bare UnicodeError (not UnicodeDecodeError) on bytes it cannot decode."""
    with pytest.raises(BadAnswer):
        decode(b'{"a": 1}', "application/json; charset=punycode")


# -- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", '{"a": NaN}', '[1, Infinity]',
                                  '{"a": [-Infinity]}'])
def test_nan_and_infinity_are_refused(text):
    with pytest.raises(BadAnswer, match="NaN|Infinity"):
        parse(text)


@pytest.mark.parametrize("text", ["1e999", "-1e999", '{"a": 1e400}', "1" * 400 + ".0"])
def test_numbers_out_of_range_are_refused(text):
    with pytest.raises(BadAnswer, match="out of range"):
        parse(text)


def test_an_integer_of_40_digits_is_a_number_and_41_is_refused():
    assert parse("9" * INT_DIGITS) == int("9" * INT_DIGITS)
    assert parse("-" + "9" * INT_DIGITS) == -int("9" * INT_DIGITS)
    with pytest.raises(BadAnswer, match="41 digits"):
        parse("1" * (INT_DIGITS + 1))
    with pytest.raises(BadAnswer, match="41 digits"):
        parse('{"defId": -%s}' % ("1" * (INT_DIGITS + 1)))


def test_an_integer_of_a_million_digits_is_refused_quickly():
    with pytest.raises(BadAnswer, match="digits"):
        parse('{"defId": %s}' % ("7" * 1000000))


def test_ordinary_numbers_pass():
    assert parse('{"a": 1.5, "b": -0, "c": 1e3, "d": 12345678901234567890}') == {
        "a": 1.5, "b": 0, "c": 1000.0, "d": 12345678901234567890}


# -- depth ------------------------------------------------------------------------------------


def test_depth_32_is_accepted_and_33_refused():
    assert parse(nested(MAX_DEPTH)) == json.loads(nested(MAX_DEPTH))
    with pytest.raises(BadAnswer, match="nested deeper than 32"):
        parse(nested(MAX_DEPTH + 1))


def test_objects_count_as_levels_too():
    deep = '{"a": ' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1)
    with pytest.raises(BadAnswer, match="nested"):
        parse(deep)
    mixed = '{"a": [' * (MAX_DEPTH // 2) + "1" + "]}" * (MAX_DEPTH // 2)
    assert parse(mixed)


@pytest.mark.parametrize("depth", [1000, 100000])
def test_very_deep_nesting_is_a_bad_answer_not_a_recursion_error(depth):
    for text in (nested(depth), '{"a":' * depth + "1" + "}" * depth):
        try:
            parse(text)
        except BadAnswer as exc:
            assert "nested" in str(exc)
        except RecursionError:  # pragma: no cover - the failure this test is about
            pytest.fail("a RecursionError leaked from parse() at depth %d" % depth)
        else:  # pragma: no cover
            pytest.fail("depth %d was accepted" % depth)


# -- strings ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    '{"returnDesc": "a\\udc00b"}',
    '{"a": ["x", "\\udfff"]}',
    '{"a": "\\ude00\\ud83d"}',          # a pair in the wrong order is two lone surrogates
    '{"a": "\\ud83d"}',
])
def test_lone_surrogates_are_refused(text):
    with pytest.raises(BadAnswer, match="surrogate"):
        parse(text)


def test_a_lone_surrogate_in_a_key_is_refused():
    with pytest.raises(BadAnswer, match="surrogate"):
        parse('{"\\ud800": 1}')
    with pytest.raises(BadAnswer, match="surrogate"):
        parse('{"a": {"b": [{"\\udbff": "x"}]}}')


def test_a_lone_surrogate_at_the_top_level_is_refused():
    """A bare JSON string (not an object) is also checked."""
    with pytest.raises(BadAnswer, match="surrogate"):
        parse('"\\ud800"')


def test_valid_surrogate_pairs_are_accepted():
    assert parse('{"a": "\\ud83d\\ude00", "\\ud83d\\ude01": 1}') == {"a": u"\U0001F600", u"\U0001F601": 1}


# -- through the client -----------------------------------------------------------------------


def client(sleeps):
    return IsalesClient(BASE, "ak", "sk", retries=0, sleep=sleeps)


@pytest.mark.parametrize("content_type", [
    "application/json; charset=rot13",
    "application/json; charset=base64",
    "application/json; charset=punycode",
])
def test_a_strange_charset_is_a_parse_error_of_the_call_or_read_as_utf8(mocked, sleeps, content_type):
    """Whatever charset an answer declares, the client says a parse error of the call (or reads the body as
    UTF-8), never an internal error."""
    mocked.add(responses.GET, LIST_URL, body=b'{"returnCode": "0200000", "totalCount": 0, "data": []}',
               content_type=content_type)
    try:
        payload = client(sleeps).read("GET", "/rest/isales/v1/openapi/campaigns/12/queryOBSResults")
    except IsalesError as err:
        assert err.kind == "parse", err.msg
        assert "GET /rest/isales/v1/openapi/campaigns/12/queryOBSResults" in err.msg
        return
    except Exception as exc:  # pylint: disable=broad-except
        pytest.fail("the client raised %s for %s: %s" % (type(exc).__name__, content_type, exc))
    assert payload["returnCode"] == "0200000"


# -- properties -------------------------------------------------------------------------------

CHARSETS = st.sampled_from([
    "utf-8", "UTF-8", "utf-16", "utf-16-le", "utf-32", "latin-1", "ascii", "gbk", "big5", "shift_jis",
    "cp1252", "utf-8-sig", "idna", "punycode", "rot13", "base64", "hex", "zlib", "uu", "x-unknown", "",
    "utf-7", "unicode_escape", "raw_unicode_escape", "charmap", "mbcs", "oem",
])
CONTENT_TYPES = st.one_of(
    st.none(),
    st.text(max_size=40),
    CHARSETS.map(lambda name: "application/json; charset=%s" % name),
    st.tuples(st.sampled_from(["application/json", "text/html", "text/plain"]), st.text(max_size=20)).map(
        lambda pair: "%s; charset=%s" % pair),
)
JSONISH_BYTES = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=80).map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.sampled_from([b"NaN", b"1e999", b"[" * 50 + b"]" * 50, b'"\\ud800"', b"\xef\xbb\xbf{}", b"{}",
                     b"\xff\xfe{\x00}\x00", b'{"a": ' + b"9" * 60 + b"}"]),
)


@PROFILE
@given(body=JSONISH_BYTES, content_type=CONTENT_TYPES)
def test_any_body_and_content_type_decode_and_parse_or_raise_a_value_error(body, content_type):
    try:
        text = decode(body, content_type)
        value = parse(text)
    except ValueError:  # BadAnswer is one
        return
    # What parse returns is within the bounds.
    _answers.check_tree(value)
    assert isinstance(text, str)


JSON_LEAVES = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-(10 ** 45), max_value=10 ** 45),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=3),
    st.sampled_from(["0200000", "0200001", "02000007"]),
)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.one_of(st.text(max_size=8), st.sampled_from([u"\ud800", u"\udfff"]),
                                                         st.sampled_from(["returnCode", "returnDesc", "resultCode",
                                                                          "resultDesc", "data", "totalCount"])),
                                               children, max_size=4)),
    max_leaves=30,
)


def dump(value):
    """The JSON text of value as a server could send it: NaN and Infinity as such, lone surrogates as escapes."""
    return json.dumps(value, allow_nan=True, ensure_ascii=True)


@PROFILE
@given(value=JSON_VALUES, wrap=st.booleans())
def test_any_json_answered_with_200_is_a_payload_or_a_parse_or_api_error(sleeps, value, wrap):
    if wrap:  # most answers are objects with a returnCode: exercise that path as often as the rest
        value = {"returnCode": "0200000", "returnDesc": value, "data": value}
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add(responses.GET, LIST_URL, body=dump(value), content_type="application/json;charset=UTF-8")
        try:
            payload = client(sleeps).read("GET", "/rest/isales/v1/openapi/campaigns/12/queryOBSResults")
        except IsalesError as err:
            assert err.kind in ("parse", "api"), err.msg
            assert len(err.msg) < 1000
            return
    assert isinstance(payload, dict)
    assert payload.get("returnCode", payload.get("resultCode")) in ("0200000",)
