# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options every module shares, defined once, and their checks.

CONNECTION_ARGUMENT_SPEC is mirrored for the documentation by the doc fragment
huawei.isales.connection, VDN_ARGUMENT_SPEC by huawei.isales.attributes.vdn and
WORKERS_ARGUMENT_SPEC by huawei.isales.attributes.workers.
Private module_utils: may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible.module_utils.basic import env_fallback

from ansible_collections.huawei.isales.plugins.module_utils._client import (
    DEFAULT_SIGNED_HEADERS,
    access_key_problem,
    check_url,
    redact_url,
    signed_headers_problem,
)

CONNECTION_ARGUMENT_SPEC = dict(
    url=dict(type="str", required=True, fallback=(env_fallback, ["ISALES_URL"])),
    access_key=dict(type="str", required=True, no_log=False, fallback=(env_fallback, ["ISALES_ACCESS_KEY"])),
    secret_key=dict(type="str", required=True, no_log=True, fallback=(env_fallback, ["ISALES_SECRET_KEY"])),
    validate_certs=dict(type="bool", default=True, fallback=(env_fallback, ["ISALES_VALIDATE_CERTS"])),
    ca_path=dict(type="path", fallback=(env_fallback, ["ISALES_CA_PATH"])),
    timeout=dict(type="int", default=30, fallback=(env_fallback, ["ISALES_TIMEOUT"])),
    retries=dict(type="int", default=3, fallback=(env_fallback, ["ISALES_RETRIES"])),
    signed_headers=dict(type="list", elements="str", default=list(DEFAULT_SIGNED_HEADERS),
                        fallback=(env_fallback, ["ISALES_SIGNED_HEADERS"])),
)

# Every module works on one VDN.
VDN_ARGUMENT_SPEC = dict(
    vdn_id=dict(type="int", required=True),
)

# The modules that read many things at once.
WORKERS_ARGUMENT_SPEC = dict(
    max_workers=dict(type="int", default=8),
)

VDN_MIN = 1
VDN_MAX = 9999
MAX_RETRIES = 10
# At most this many reads (each on its own connection) at a time.
MAX_WORKERS = 32


def argument_spec(module_options=None, workers=False):
    """The connection options and vdn_id (and, with workers, max_workers), plus a module's own."""
    spec = dict((key, dict(value)) for key, value in CONNECTION_ARGUMENT_SPEC.items())
    spec.update((key, dict(value)) for key, value in VDN_ARGUMENT_SPEC.items())
    if workers:
        spec.update((key, dict(value)) for key, value in WORKERS_ARGUMENT_SPEC.items())
    spec.update(module_options or {})
    return spec


def raw_type_problems(spec, params, prefix=""):
    """Problems with the arguments as they were passed, before ansible-core converts them, each naming its
    option: a boolean for an integer option (true would pass as 1), an element of a list of strings that
    is not a string (YAML reads an unquoted 007 as the number 7, which would be sent as "7")."""
    problems = []
    for name, option in spec.items():
        value = (params or {}).get(name)
        label = prefix + name
        if option.get("type") == "int" and isinstance(value, bool):
            problems.append("%s must be an integer, not a boolean (got %s)" % (label, str(value).lower()))
        elif option.get("type") == "list" and isinstance(value, list):
            if option.get("elements") == "str":
                bad = ["%s[%d] is %r" % (label, index, item) for index, item in enumerate(value)
                       if not isinstance(item, str)]
                if bad:
                    problems.append("%s must hold strings: %s (quote codes such as '007': YAML reads an unquoted "
                                    "007 as the number 7)" % (label, ", ".join(bad)))
            elif option.get("elements") == "dict" and option.get("options"):
                for index, item in enumerate(value):
                    if isinstance(item, dict):
                        problems.extend(raw_type_problems(option["options"], item, "%s[%d]." % (label, index)))
    return problems


def validate_vdn(vdn_id):
    """Problems with a vdn_id, as a list of messages."""
    if vdn_id is None or not VDN_MIN <= vdn_id <= VDN_MAX:
        return ["vdn_id must be an integer from %d to %d, got %s" % (VDN_MIN, VDN_MAX, vdn_id)]
    return []


def workers_problems(params, names=("max_workers",)):
    """Problems with options that say how many requests go at a time."""
    problems = []
    for name in names:
        value = params.get(name)
        if value is not None and not 1 <= value <= MAX_WORKERS:
            problems.append("%s must be from 1 to %d, got %d" % (name, MAX_WORKERS, value))
    return problems


def connection_problems(params):
    """Messages, each naming its option, for bad connection settings."""
    problems = []
    for problem in (check_url(params.get("url")), access_key_problem(params.get("access_key"))):
        if problem:
            problems.append(problem)
    if not params.get("secret_key"):
        problems.append("secret_key must not be empty")
    timeout = params.get("timeout")
    if timeout is not None and timeout < 1:
        problems.append("timeout must be at least 1 second, got %d" % timeout)
    retries = params.get("retries")
    if retries is not None and not 0 <= retries <= MAX_RETRIES:
        problems.append("retries must be from 0 to %d, got %d" % (MAX_RETRIES, retries))
    headers_problem = signed_headers_problem(params.get("signed_headers"))
    if headers_problem:
        problems.append(headers_problem)
    ca_path = params.get("ca_path")
    if ca_path and params.get("validate_certs", True):
        if not os.path.exists(ca_path):
            problems.append("ca_path %s does not exist (the PEM bundle of the CA that issued the server's "
                            "certificate)" % ca_path)
        elif not os.access(ca_path, os.R_OK) or not (os.path.isfile(ca_path) or os.path.isdir(ca_path)):
            problems.append("ca_path %s is not a readable file" % ca_path)
    return problems


def transport_warnings(params):
    """Warnings about settings that expose the signed requests: auth-v2 has no nonce, so a request seen on
    the wire can be sent again by anyone for as long as the server accepts its time (15 minutes)."""
    warnings = []
    if (params.get("url") or "").lower().startswith("http://"):
        warnings.append("url %s is plain HTTP: every request, its signature included, travels unencrypted, and "
                        "auth-v2 has no nonce, so anyone who sees a signed request (a create, a delete) can replay "
                        "it for 15 minutes. Use https." % redact_url(params["url"]))
    elif not params.get("validate_certs", True):
        warnings.append("validate_certs is false: the server's identity is not checked, so a machine in the "
                        "middle can read the signed requests and, since auth-v2 has no nonce, replay them (a "
                        "create, a delete) for 15 minutes. Set ca_path to the server's CA bundle instead.")
    return warnings


def client_settings(params, **overrides):
    """IsalesClient keyword arguments from a module's connection options."""
    settings = dict((name, params[name]) for name in CONNECTION_ARGUMENT_SPEC)
    settings.update(overrides)
    return settings
