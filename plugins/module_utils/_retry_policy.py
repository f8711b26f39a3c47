# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A campaign's retry policy: reading every documented variant, planning a change, the write form.

Shapes, named the same everywhere:

* data: the policy as the server sent it (_api_retry_policies.get_policy()), None when the
  campaign has none.
* Policy: data made sense of (read_policy()): policy_type (0 global, 1 number type), doc (the
  policyJson document: an object, or a list for a number-type policy), where the day counts
  live (layout 2023: top level; 2025: inside `policy`), the form `policy` came in (JSON text
  or an array), and the no-retry result codes (from data's noRetryPolicy, which wins, else
  from the document), with warnings.
* view: what the modules return and compare (view()).

The vendor's pages disagree, so reading is lenient: policyJson strict JSON or the
single-quoted form of the vendor's sample (converted to JSON, then parsed with the bounds
of every answer; never eval), `policy` as JSON text or an array, noRetryPolicy as JSON-array
text, comma-separated text, an array, empty, null, or only inside policyJson. Writing is
strict JSON, `policy` in the form it was read, and every key the read returned carried over.

Private module_utils: may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json

from ansible_collections.huawei.isales.plugins.module_utils._answers import BadAnswer, parse
from ansible_collections.huawei.isales.plugins.module_utils._api_campaigns import campaign_id_problem
from ansible_collections.huawei.isales.plugins.module_utils._errors import ResourceError, bad_answer

# Options of the modules that manage a campaign's no-retry list, mirrored by the doc fragments
# huawei.isales.attributes.campaign and huawei.isales.attributes.no_retry.
CAMPAIGN_OPTIONS = dict(
    campaign_id=dict(type="str"),
    campaign_name=dict(type="str"),
)
NO_RETRY_OPTIONS = dict(
    no_retry_result_codes=dict(type="list", elements="str"),
    no_retry_display_results=dict(type="list", elements="str"),
    state=dict(type="str", default="present", choices=["present", "absent"]),
    purge=dict(type="bool", default=False),
)

GLOBAL = 0
NUMBER_TYPE = 1
POLICY_TYPES = {GLOBAL: "global", NUMBER_TYPE: "number_type"}
STRATEGIES = {"common": 0, "result": 1}
STRATEGY_WORDS = dict((code, word) for word, code in STRATEGIES.items())


def strict_json(text):
    """text in the single-quoted form ({'type':1}) as strict JSON text: single-quoted strings become
    double-quoted ones (their double quotes escaped), double-quoted strings and the rest stay as they are."""
    out = []
    index = 0
    while index < len(text):
        char = text[index]
        if char not in "'\"":
            out.append(char)
            index += 1
            continue
        end = index + 1
        chars = []
        while end < len(text) and text[end] != char:
            if text[end] == "\\" and end + 1 < len(text):
                chars.append("'" if text[end + 1] == "'" else text[end:end + 2])
                end += 2
                continue
            chars.append('\\"' if text[end] == '"' else text[end])
            end += 1
        if end >= len(text):
            raise BadAnswer("a string that does not end")
        out.append('"%s"' % "".join(chars))
        index = end + 1
    return "".join(out)


def lenient(value):
    """A JSON document from JSON text, strict or single-quoted; a value that is not text as it is."""
    if not isinstance(value, str):
        return value
    if not value.strip():
        return None
    try:
        return parse(value)
    except ValueError:
        return parse(strict_json(value))


def _code(value):
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise BadAnswer("a result code that is not text: %r" % (value,))


def parse_codes(value):
    """noRetryPolicy in any documented form as a list of result codes; None when it is not there."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return []
        value = lenient(text) if text.startswith("[") else [part for part in text.split(",") if part.strip()]
    if not isinstance(value, list):
        raise BadAnswer("a noRetryPolicy that is not a list of result codes")
    codes = []
    for item in value:
        code = _code(item)
        if code not in codes:
            codes.append(code)
    return codes


def _codes_form(value):
    """How data's noRetryPolicy was written: "array", "json" text, "csv" text, or None (not there)."""
    if value is None:
        return None
    if isinstance(value, list):
        return "array"
    return "json" if value.strip().startswith("[") else "csv"


def _in_form(codes, form):
    if form == "array":
        return list(codes)
    if form == "json":
        return json.dumps(codes, separators=(",", ":"))
    return ",".join(codes)


class Policy(object):
    """A campaign's retry policy made sense of (see the module docstring)."""

    def __init__(self, data, policy_type, doc, codes, warnings):
        self.data = data
        self.policy_type = policy_type
        self.doc = doc
        self.codes = codes
        self.warnings = warnings
        self._inner = None

    @property
    def exists(self):
        return self.data is not None

    def inner(self):
        """(the `policy` member as a value, the form it came in: "text", "array", "object", or None)."""
        if self._inner is None:  # parsed once: a Policy's document does not change
            raw = self.doc.get("policy") if isinstance(self.doc, dict) else None
            if raw is None:
                self._inner = (None, None)
            else:
                self._inner = (lenient(raw), "text" if isinstance(raw, str) else (
                    "object" if isinstance(raw, dict) else "array"))
        return self._inner

    @property
    def layout(self):
        """2025 when `policy` is an object (it then holds the day counts), else 2023."""
        return "2025" if isinstance(self.inner()[0], dict) else "2023"


def read_policy(data, call):
    """A Policy from what the server sent; IsalesError (parse) naming the call when it cannot be used."""
    if data is None:
        return Policy(None, GLOBAL, {}, [], [])
    try:
        policy_type = data.get("policyType", GLOBAL)
        if isinstance(policy_type, str) and policy_type.strip().isdigit():
            policy_type = int(policy_type)
        if isinstance(policy_type, bool) or not isinstance(policy_type, int) or policy_type not in POLICY_TYPES:
            raise BadAnswer("a policyType that is not 0 or 1")
        doc = lenient(data.get("policyJson"))
        if doc is None:
            doc = [] if policy_type == NUMBER_TYPE else {}
        if not isinstance(doc, list if policy_type == NUMBER_TYPE else dict):
            raise BadAnswer("a policyJson that is not %s" % ("a list" if policy_type == NUMBER_TYPE else "an object"))
        policy = Policy(data, policy_type, doc, [], [])
        if policy_type == NUMBER_TYPE:
            return policy
        inner, _form = policy.inner()
        if inner is not None and not isinstance(inner, (list, dict)):
            raise BadAnswer("a policy that is neither a list of entries nor an object")
        for where in (doc, inner if isinstance(inner, dict) else {}):
            _check_integers(where)
        in_data = parse_codes(data.get("noRetryPolicy"))
        in_doc = parse_codes(doc.get("noRetryPolicy"))
    except ValueError as exc:  # BadAnswer, or text that is JSON in neither form
        raise bad_answer(call, "a retry policy that cannot be read (%s)" % exc, data)
    if not in_data and in_doc:
        in_data = None  # an empty field beside a document that names codes says nothing (a server may show it so)
    if in_data is not None and in_doc is not None and sorted(in_data) != sorted(in_doc):
        policy.warnings.append(
            "the policy's noRetryPolicy field (%s) and the one inside policyJson (%s) differ; the field is taken"
            % (", ".join(in_data) or "empty", ", ".join(in_doc) or "empty"))
    policy.codes = in_data if in_data is not None else (in_doc or [])
    return policy


def _check_integers(where):
    for key in ("type", "retryDay", "retryTimes"):
        value = where.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise BadAnswer("a %s that is not an integer" % key)


def _entries(inner, layout):
    entries = inner.get("results") if layout == "2025" else inner
    return entries if isinstance(entries, list) else []


def view(policy, results=None):
    """The policy as the modules return it. results: the VDN's listed external results, to name the codes."""
    if policy.policy_type == NUMBER_TYPE:
        return {"policy_type": "number_type", "entries": copy.deepcopy(policy.doc),
                "no_retry_result_codes": [], "no_retry_results": []}
    doc = policy.doc
    inner, _form = policy.inner()
    counts = inner if policy.layout == "2025" else doc
    by_code = dict(((item.get("resultCode") or None), item) for item in results or [])
    codes = sorted(policy.codes)
    return {
        "policy_type": "global",
        "strategy": STRATEGY_WORDS.get(doc.get("type")),
        "retry_days": counts.get("retryDay"),
        "retry_times_per_day": counts.get("retryTimes"),
        "result_policies": [{"result": entry.get("result"), "retry_number": entry.get("retryNumber"),
                             "call_interval": entry.get("callInterval")}
                            for entry in _entries(inner, policy.layout) if isinstance(entry, dict)],
        "no_retry_result_codes": codes,
        "no_retry_results": [{"result_code": code, "display_result": by_code.get(code, {}).get("displayResult"),
                              "defId": by_code.get(code, {}).get("defId")} for code in codes],
    }


def wanted_codes(codes, want):
    """The no-retry list after want ({state, purge, codes}) on codes, the codes' order kept."""
    declared = list(want["codes"])
    if want["state"] == "absent":
        return [code for code in codes if code not in declared]
    if want["purge"]:
        return [code for code in codes if code in declared] + [code for code in declared if code not in codes]
    return list(codes) + [code for code in declared if code not in codes]


def _set_inner(doc, inner, form):
    doc["policy"] = json.dumps(inner, ensure_ascii=False, separators=(",", ":")) if form == "text" else inner


def planned(policy, want, campaign):
    """The Policy after want (a dict of state, purge, codes and the optional strategy, retry_days,
    retry_times_per_day, result_policies), as it would be written; policy itself when nothing changes.
    ResourceError for a change to a number-type policy."""
    if holds(policy, want):
        return policy
    if policy.policy_type == NUMBER_TYPE:
        raise ResourceError(
            "campaign %s (%s) has a number-type retry policy (policyType 1), which cannot carry no-retry results "
            "or be changed by this module; nothing was written" % (campaign["id"], campaign["name"]),
            campaign_id=campaign["id"], policy_type="number_type")
    doc = copy.deepcopy(policy.doc) if policy.exists else {}
    codes = wanted_codes(policy.codes, want)
    if codes != policy.codes or (want["purge"] and "noRetryPolicy" not in doc and policy.exists):
        doc["noRetryPolicy"] = codes
    if want.get("strategy") is not None:
        doc["type"] = STRATEGIES[want["strategy"]]
    inner, form = policy.inner() if policy.exists else (None, None)
    layout = policy.layout if policy.exists else "2023"
    counts = {"retryDay": want.get("retry_days"), "retryTimes": want.get("retry_times_per_day")}
    if layout == "2025":
        inner = dict(inner)
        inner.update((key, value) for key, value in counts.items() if value is not None)
        if want.get("result_policies") is not None:
            inner["results"] = _entries_of(want["result_policies"])
        _set_inner(doc, inner, form)
    else:
        doc.update((key, value) for key, value in counts.items() if value is not None)
        if want.get("result_policies") is not None:
            _set_inner(doc, _entries_of(want["result_policies"]), form or "array")
    return Policy(policy.data, policy.policy_type, doc, codes, [])


def _entries_of(result_policies):
    return [{"result": entry["result"], "retryNumber": entry["retry_number"], "callInterval": entry["call_interval"]}
            for entry in result_policies]


def holds(policy, want):
    """Whether the policy already is as want asks (the check of a read-back)."""
    codes = policy.codes
    declared = want["codes"]
    if want["state"] == "absent":
        if any(code in codes for code in declared):
            return False
    elif want["purge"]:
        if sorted(codes) != sorted(set(declared)):
            return False
    elif any(code not in codes for code in declared):
        return False
    if policy.policy_type == NUMBER_TYPE:
        managed = ("strategy", "retry_days", "retry_times_per_day", "result_policies")
        others = any(want.get(key) is not None for key in managed)
        return not others and (want["state"] == "absent" or not declared)
    current = view(policy)
    for key in ("strategy", "retry_days", "retry_times_per_day"):
        if want.get(key) is not None and current[key] != want[key]:
            return False
    if want.get("result_policies") is not None and current["result_policies"] != want["result_policies"]:
        return False
    return True


def write_body(policy):
    """The body of the write that makes the server hold policy: every key the read returned, carried over,
    policyJson as strict JSON, data's noRetryPolicy (when the read had one) in the form it was read."""
    body = dict(policy.data or {})
    body["policyType"] = policy.policy_type
    body["policyJson"] = json.dumps(policy.doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    form = _codes_form((policy.data or {}).get("noRetryPolicy"))
    if form is not None:
        body["noRetryPolicy"] = _in_form(policy.codes, form)
    return body


def campaign_problems(params):
    """A problem with campaign_id's form, naming the option, before it goes into any path; [] otherwise."""
    problem = params.get("campaign_id") is not None and campaign_id_problem(params["campaign_id"])
    return ["campaign_id %r: %s" % (params["campaign_id"], problem)] if problem else []


def validate(params):
    """Problems with isales_retry_policy's own options, each naming its option; [] when all is well."""
    problems = campaign_problems(params)
    if params.get("no_retry_result_codes") is None and params.get("no_retry_display_results") is None:
        problems.append("no_retry_result_codes or no_retry_display_results is required (an empty list with "
                        "purge: true clears the no-retry list)")
    if params.get("state") == "absent":
        given = [name for name in ("purge", "strategy", "retry_days", "retry_times_per_day", "result_policies")
                 if params.get(name) not in (None, False)]
        if given:
            problems.append("state=absent removes the listed no-retry results only; it does not take %s"
                            % ", ".join(given))
    for name in ("retry_days", "retry_times_per_day"):
        if params.get(name) is not None and params[name] < 0:
            problems.append("%s must be 0 or more, got %d" % (name, params[name]))
    for index, entry in enumerate(params.get("result_policies") or []):
        bad = [key for key in ("result", "retry_number", "call_interval") if entry.get(key) is None or entry[key] < 0]
        if bad:
            problems.append("result_policies[%d]: %s must be given, 0 or more" % (index, ", ".join(bad)))
    for name in ("no_retry_result_codes", "no_retry_display_results"):
        empty = [index for index, value in enumerate(params.get(name) or []) if not value.strip()]
        if empty:
            problems.append("%s must not hold empty values (items %s)" % (name, ", ".join(str(i + 1) for i in empty)))
    return problems


def declared(params, results):
    """What the task declares ({state, purge, codes, strategy, retry_days, retry_times_per_day,
    result_policies}), its display texts resolved to result codes through the VDN's listed external
    results. ResourceError, naming every value at fault, before any write: with state present, a display
    text no result has or whose result has no result code, a result code no result has."""
    by_text = {}
    codes_on_vdn = set()
    for item in results:
        by_text.setdefault(item["displayResult"], []).append(item)
        if item["resultCode"]:
            codes_on_vdn.add(item["resultCode"])
    problems = []
    codes = []
    for text in params.get("no_retry_display_results") or []:
        found = [item for item in by_text.get(text, []) if item["resultCode"]]
        if not by_text.get(text):
            problems.append("no_retry_display_results: no external result shows %r" % text)
        elif not found:
            problems.append("no_retry_display_results: the external result %r (defId %s) has no result code"
                            % (text, by_text[text][0]["defId"]))
        else:
            codes.append(found[0]["resultCode"])
    state = params.get("state") or "present"
    for code in params.get("no_retry_result_codes") or []:
        if state == "present" and code not in codes_on_vdn:
            problems.append("no_retry_result_codes: no external result has the result code %r" % code)
        codes.append(code)
    if problems:
        raise ResourceError("%s. Nothing was written; huawei.isales.isales_ob_result_info lists the VDN's external "
                            "results." % "; ".join(problems))
    return {"state": state, "purge": bool(params.get("purge")), "codes": list(dict.fromkeys(codes)),
            "strategy": params.get("strategy"), "retry_days": params.get("retry_days"),
            "retry_times_per_day": params.get("retry_times_per_day"),
            "result_policies": params.get("result_policies")}


def dangling(policy, results):
    """The codes in the policy's no-retry list that no external result of the VDN has, sorted."""
    on_vdn = set(item["resultCode"] for item in results if item["resultCode"])
    return sorted(code for code in policy.codes if code not in on_vdn)
