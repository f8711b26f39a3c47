# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's two failures, the vendor's codes and what they mean.

* IsalesError: one call failed (transport, HTTP, the vendor's returnCode, an
  answer that cannot be used). Everything an operator needs, never a secret.
* ResourceError: a decision a module refuses to take (an ambiguous match, a
  duplicate display text, a code the VDN does not know).

IsalesModule (_module.py) turns either into fail_json. The checks of values a
server sends (bad_answer(), code_text(), text_value()) raise IsalesError of
kind parse, naming the call.

Private module_utils: may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The vendor's return codes (the createObResult error table; every call uses the same family).
SUCCESS = "0200000"
CODE_PARAMETER_ERROR = "0200001"
CODE_EMPTY = "02000001"
CODE_INVALID_CHARACTERS = "02000002"
CODE_TOO_LONG = "02000003"
CODE_TOO_SHORT = "02000004"
CODE_LENGTH_OUT_OF_RANGE = "02000005"
CODE_WRONG_TYPE = "02000006"
CODE_WRONG_VALUE = "02000007"
CODE_CONVERSION = "02000008"
CODE_WRONG_COMBINATION = "02000009"
CODE_HOUR_AND_MINUTE = "02000010"
CODE_TOO_MANY = "02000011"
# Of the campaign calls (their pages list them beside the ones above).
CODE_NO_SUCH_CAMPAIGN = "0200007"
CODE_NOT_IN_THIS_STATUS = "0200011"

ERROR_CODES = {
    SUCCESS: "success",
    CODE_PARAMETER_ERROR: "parameter error (details in resultDesc)",
    CODE_EMPTY: "empty parameter",
    CODE_INVALID_CHARACTERS: "the parameter contains invalid characters",
    CODE_TOO_LONG: "the parameter is longer than the maximum length",
    CODE_TOO_SHORT: "the parameter is shorter than the minimum length",
    CODE_LENGTH_OUT_OF_RANGE: "the parameter length is out of the allowed range",
    CODE_WRONG_TYPE: "incorrect parameter type",
    CODE_WRONG_VALUE: "incorrect parameter value",
    CODE_CONVERSION: "parameter conversion error",
    CODE_WRONG_COMBINATION: "incorrect parameter combination",
    CODE_HOUR_AND_MINUTE: "the hour and minute parameters must be set at the same time",
    CODE_TOO_MANY: "too many parameters",
    CODE_NO_SUCH_CAMPAIGN: "the campaign does not exist",
    CODE_NOT_IN_THIS_STATUS: "the operation is not allowed in the campaign's current status",
}

# Error kinds. "Ambiguous" ones may hide a write that did happen.
KIND_API = "api"            # the server answered with a vendor error code
KIND_HTTP = "http"          # non-2xx HTTP status
KIND_AUTH = "auth"          # 401: the signature was rejected
KIND_CONNECTION = "connection"
KIND_TIMEOUT = "timeout"
KIND_TLS = "tls"
KIND_PARSE = "parse"        # an answer that is not the JSON we expect
KIND_CONFIG = "config"      # bad connection settings, found before any request
KIND_CANCELLED = "cancelled"  # not sent: the task is being stopped (SIGINT, SIGTERM)

# Longest part of a server's text quoted in an error.
BODY_EXCERPT = 300


def meaning_of(code):
    """The vendor's meaning of a returnCode, or None."""
    if code is None:
        return None
    return ERROR_CODES.get(str(code))


def excerpt(text):
    """text on one line, cut to BODY_EXCERPT characters."""
    text = " ".join(text.split())
    return text[:BODY_EXCERPT] + ("..." if len(text) > BODY_EXCERPT else "")


class _Failure(Exception):
    """What both failures carry besides their message: what the task did before them.

    partial: the task's result so far (created, updated, ... and changed), which the
    failure funnel returns beside the failure. done: the writes made before the failure,
    as the bulk module records them.
    """

    def __init__(self, msg):
        super(_Failure, self).__init__(msg)
        self.msg = msg
        self.partial = None
        self.done = None

    def reword(self, msg):
        """Replace the message (a caller adding what it knows)."""
        self.msg = msg
        self.args = (msg,)


class IsalesError(_Failure):
    """One failure of one call, with everything an operator needs and no secret."""

    def __init__(self, msg, kind, call=None, status=None, return_code=None,
                 return_desc=None, attempts=None, sent=None, reason=None):
        super(IsalesError, self).__init__(msg)
        self.kind = kind
        # "METHOD path" of the request that failed.
        self.call = call
        self.status = status
        self.return_code = return_code
        self.return_desc = return_desc
        self.attempts = attempts
        # True: the request reached the server; False: it did not; None: it may have.
        self.sent = sent
        # The transport's own short reason (TLS, connection), without our advice around it.
        self.reason = reason
        # From the Date header of a 401: the server's clock and how far it is from ours.
        self.server_time = None
        self.clock_skew_seconds = None
        # Seconds the server asked us to wait (Retry-After of a 429 or 5xx), or None.
        self.retry_after = None
        # The writes whose outcome this failure leaves unknown: [{action, display_result, defId}].
        self.outcome_unknown = []

    @property
    def meaning(self):
        return meaning_of(self.return_code)

    @property
    def retryable(self):
        """A transient failure: worth another try of a read."""
        if self.kind in (KIND_CONNECTION, KIND_TIMEOUT):
            return True
        return self.kind == KIND_HTTP and (self.status == 429 or (self.status or 0) >= 500)

    @property
    def ambiguous(self):
        """For a write: the server may or may not have acted."""
        return self.retryable or self.kind == KIND_PARSE

    @property
    def in_flight(self):
        """For a write: the server may still be working on it, because the client (timeout) or a
        gateway (504) stopped waiting for its answer. A read right away does not prove it did not happen."""
        if self.kind == KIND_TIMEOUT:
            return self.sent is not False
        return self.kind == KIND_HTTP and self.status == 504

    def to_result(self):
        """Keyword arguments for AnsibleModule.fail_json()."""
        result = dict(msg=self.msg, error_kind=self.kind)
        for key, value in (("call", self.call), ("status", self.status),
                           ("returnCode", self.return_code), ("returnDesc", self.return_desc),
                           ("meaning", self.meaning), ("attempts", self.attempts),
                           ("server_time", self.server_time), ("clock_skew_seconds", self.clock_skew_seconds),
                           ("outcome_unknown", self.outcome_unknown or None)):
            if value is not None:
                result[key] = value
        return result


class ResourceError(_Failure):
    """A decision the module refuses to take (ambiguous match, duplicate display text...).

    details: extra keys of the failed task's result (defIds, unknown_obs_codes, ...)."""

    def __init__(self, msg, **details):
        super(ResourceError, self).__init__(msg)
        self.details = details

    def to_result(self):
        """Keyword arguments for AnsibleModule.fail_json()."""
        return dict(self.details, msg=self.msg)


# -- what the server sends, checked before it is used ----------------------------

def bad_answer(call, what, value):
    """The IsalesError (parse) of an answer to call that has what (value quoted, cut)."""
    return IsalesError("the server's answer to %s has %s: %s" % (call, what, excerpt(repr(value))),
                       KIND_PARSE, call=call, sent=True)


def code_text(value, call, what):
    """A code (resultCode, obsCode, failCode) as text: strings as they are, integers as digits."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return value
    raise bad_answer(call, "a %s that is not text" % what, value)


def text_value(value, call, what):
    """A text field of an answer (displayResult, ...) that must be a string."""
    if not isinstance(value, str):
        raise bad_answer(call, "a %s that is not text" % what, value)
    return value
