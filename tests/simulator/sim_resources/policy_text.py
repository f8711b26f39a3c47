# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retry policy documents: the lenient reading of policyJson, the forms of noRetryPolicy, and a campaign's
policy as the server holds it (seeded verbatim, or set through the API)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json

MAX_DEPTH = 20
MAX_INTEGER_DIGITS = 18
MAX_TEXT = 65536
NO_RETRY_FORMS = ("json_text", "csv", "array", "empty", "null", "absent")


# ---------------------------------------------------------------- the lenient reading of policyJson

def loads_lenient(text):
    """The JSON value of strict JSON text or of the vendor sample's single-quoted form; ValueError otherwise.

    The single quotes are converted to JSON (no eval); nesting and numbers are bounded; NaN and Infinity
    are refused.
    """
    if len(text) > MAX_TEXT:
        raise ValueError("longer than %d characters" % MAX_TEXT)
    return json.loads(_as_json(text), parse_constant=_refuse, parse_int=_bounded_int, parse_float=_finite_float)


def _as_json(text):
    out, depth, index = [], 0, 0
    while index < len(text):
        char = text[index]
        if char in "\"'":
            index, literal = _string(text, index)
            out.append(literal)
            continue
        depth += (char in "[{") - (char in "]}")
        if depth > MAX_DEPTH:
            raise ValueError("nested deeper than %d" % MAX_DEPTH)
        out.append(char)
        index += 1
    return "".join(out)


def _string(text, start):
    """(the index after the string that starts at text[start], the string as JSON text)."""
    quote, out, index = text[start], ['"'], start + 1
    while index < len(text):
        char = text[index]
        if char == quote:
            out.append('"')
            return index + 1, "".join(out)
        if char == "\\":
            pair = text[index:index + 2]
            out.append("'" if pair == "\\'" else pair)
            index += 2
        else:
            out.append('\\"' if char == '"' else char)   # a bare " only occurs inside '...'
            index += 1
    raise ValueError("unterminated string")


def _refuse(name):
    raise ValueError("%s is not JSON" % name)


def _bounded_int(text):
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise ValueError("integer too long")
    return int(text)


def _finite_float(text):
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError("number out of range")
    return value


def dumps(value):
    """Strict, compact JSON text."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# ---------------------------------------------------------------- noRetryPolicy in its forms

def read_codes(value):
    """The codes of a noRetryPolicy value: a list of strings, JSON-array text, comma-separated text, "" or null
    (both: none); None when it is none of these."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        if value.lstrip().startswith("["):
            try:
                value = json.loads(value)
            except ValueError:
                return None
        else:
            return [code.strip() for code in value.split(",") if code.strip()]
    if isinstance(value, list) and all(isinstance(code, str) for code in value):
        return list(value)
    return None


def render_codes(codes, form):
    """(whether the field is present, its value) of a list of codes in one of NO_RETRY_FORMS."""
    value = {"json_text": dumps(codes), "csv": ",".join(codes), "array": list(codes), "empty": "", "null": None}
    return form != "absent", value.get(form)


def without_code(value, code):
    """A noRetryPolicy value without this code, in the form it was in; unchanged when it does not hold it."""
    codes = read_codes(value)
    if not codes or code not in codes:
        return value
    kept = [item for item in codes if item != code]
    if isinstance(value, list):
        return kept
    return dumps(kept) if value.lstrip().startswith("[") else ",".join(kept)


def _document_without_code(document, code):
    if isinstance(document, dict) and "noRetryPolicy" in document:
        document["noRetryPolicy"] = without_code(document["noRetryPolicy"], code)
    return document


# ---------------------------------------------------------------- a campaign's policy

class Seeded:
    """A policy seeded through the admin API: the data object (or null) answered verbatim."""

    def __init__(self, data):
        self.data_object = copy.deepcopy(data)

    def data(self, _form):
        return copy.deepcopy(self.data_object)

    def kept_fields(self):
        """The fields a set keeps: the policy's id and busiPolicy."""
        data = self.data_object if isinstance(self.data_object, dict) else {}
        return {key: data[key] for key in ("retryPolicyId", "busiPolicy") if key in data}

    def drop_code(self, code):
        """A deleted result's code leaves noRetryPolicy (the data field and policyJson's, each in its form);
        policyJson becomes strict JSON text when it changes."""
        data = self.data_object
        if not isinstance(data, dict):
            return
        if "noRetryPolicy" in data:
            data["noRetryPolicy"] = without_code(data["noRetryPolicy"], code)
        if isinstance(data.get("policyJson"), str):
            try:
                document = loads_lenient(data["policyJson"])
            except ValueError:
                return
            if document != _document_without_code(copy.deepcopy(document), code):
                data["policyJson"] = dumps(_document_without_code(document, code))


class Stored:
    """A policy set through the API: its id, type and document, plus the fields kept from before (busiPolicy)."""

    def __init__(self, policy_id, policy_type, document, kept):
        self.policy_id = policy_id
        self.policy_type = policy_type
        self.document = document
        self.kept = kept

    def data(self, form):
        """The data object of a GET: noRetryPolicy mirrors the document's list in the VDN's form."""
        out = {"retryPolicyId": self.policy_id, "policyType": self.policy_type, "policyJson": dumps(self.document)}
        codes = read_codes(self.document.get("noRetryPolicy")) if isinstance(self.document, dict) else []
        present, value = render_codes(codes or [], form)
        if present:
            out["noRetryPolicy"] = value
        out.update((key, copy.deepcopy(value)) for key, value in self.kept.items() if key != "retryPolicyId")
        return out

    def kept_fields(self):
        return dict(self.kept, retryPolicyId=self.policy_id)

    def drop_code(self, code):
        _document_without_code(self.document, code)
