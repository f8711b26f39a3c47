# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What an answer's body must be before the client uses it: every answer is input.

decode() turns the body's bytes into text with the charset the answer declares
(when Python knows it, else UTF-8), strictly, a leading BOM skipped; parse()
turns the text into JSON with bounds: no NaN or Infinity, no integer longer
than INT_DIGITS digits, nothing nested deeper than MAX_DEPTH, no string that
cannot be written back as UTF-8 (a lone surrogate from a \\uD800 escape).
Both raise BadAnswer with the reason, which the client turns into a parse
error of the call: for a write, an unknown outcome that is settled by reading.

Private module_utils: may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import codecs
import json

# An answer's body is refused past this many bytes (after decompression): a 100-row page is a few kB.
MAX_ANSWER_BYTES = 8 * 1024 * 1024
# The deepest nesting of objects and arrays an answer may have (the vendor's answers have 3 or 4).
MAX_DEPTH = 32
# The longest integer an answer may hold, in digits (a defId has at most 20).
INT_DIGITS = 40


class BadAnswer(ValueError):
    """A body the client cannot use, with the reason."""


def charset_of(content_type):
    """The charset a Content-Type header declares, or None."""
    for part in (content_type or "").split(";")[1:]:
        name, _sep, value = part.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def decode(body, content_type):
    """The body's text: decoded with its declared charset when Python knows it, else as UTF-8."""
    charset = charset_of(content_type)
    try:
        codec = codecs.lookup(charset).name if charset else "utf-8"
    except LookupError:
        codec = "utf-8"
    try:
        try:
            text = body.decode(codec)
        except LookupError:  # a codec Python knows that is not a text encoding (rot13, base64...)
            codec = "utf-8"
            text = body.decode(codec)
    except UnicodeDecodeError as exc:
        raise BadAnswer("a body that is not valid %s (byte %d)" % (codec, exc.start))
    except UnicodeError as exc:  # a codec that fails otherwise (punycode, idna)
        raise BadAnswer("a body that is not valid %s (%s)" % (codec, exc))
    return text[1:] if text.startswith(u"\ufeff") else text


def _refuse_constant(name):
    raise BadAnswer("a JSON number %s" % name)


def _int(text):
    if len(text.lstrip("-")) > INT_DIGITS:
        raise BadAnswer("an integer of %d digits" % len(text.lstrip("-")))
    return int(text)


def _float(text):
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise BadAnswer("a number out of range (%s)" % text[:40])
    return value


def parse(text):
    """The JSON value of text, within the bounds above; BadAnswer otherwise."""
    try:
        value = json.loads(text, parse_constant=_refuse_constant, parse_int=_int, parse_float=_float)
    except RecursionError:
        raise BadAnswer("JSON nested deeper than %d levels" % MAX_DEPTH)
    check_tree(value)
    return value


def check_tree(value):
    """BadAnswer when value nests deeper than MAX_DEPTH or holds a string that is not valid Unicode."""
    pending = [([value], 0)]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, dict):
            items = list(node.keys()) + list(node.values())
        elif isinstance(node, list):
            items = node
        else:
            continue
        if depth > MAX_DEPTH:
            raise BadAnswer("JSON nested deeper than %d levels" % MAX_DEPTH)
        for item in items:
            if isinstance(item, str):
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    raise BadAnswer("a string that is not valid Unicode (a lone surrogate)")
            elif isinstance(item, (dict, list)):
                pending.append((item, depth + 1))
