# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The findings of isales_server_info: what one cheap signed read tells about a server.

Every failure of the read is a finding, not an error: a TLS failure, a
rejected signature, a server that does not answer. Decisions (what to tell
the user) are pure functions over the findings.

Private module_utils: may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.huawei.isales.plugins.module_utils import signer
from ansible_collections.huawei.isales.plugins.module_utils._api_ob_results import probe
from ansible_collections.huawei.isales.plugins.module_utils._client import DIALECTS, normalize_signed_headers
from ansible_collections.huawei.isales.plugins.module_utils._errors import (
    KIND_API,
    KIND_AUTH,
    KIND_CONNECTION,
    KIND_TIMEOUT,
    KIND_TLS,
    IsalesError,
)

# The server refuses a signature whose time is further than this from its clock.
MAX_SKEW_SECONDS = 15 * 60
# Above this, the module warns: the clocks drift apart and the margin is going.
WARN_SKEW_SECONDS = 300

ACCEPTED = "accepted"
REJECTED = "rejected"
UNKNOWN = "unknown"


def tls_mode(url, validate_certs):
    """How the connection is protected when it works: verified, disabled or not used."""
    if not url.lower().startswith("https://"):
        return "not used"
    return "verified" if validate_certs else "disabled"


def read_once(client, vdn_id, names, tls):
    """One signed read (a listing page of one result) with the signed headers names, as a finding.

    The client must not retry (retries=0): the finding is about this one request.
    """
    finding = dict(
        signed_headers=list(names), reachable=False, tls=None, http_status=None, auth=None,
        returnCode=None, returnDesc=None, server_time=None, clock_skew_seconds=None, latency_ms=None,
        error=None,
    )
    try:
        probe(client, vdn_id, signed_headers=names)
        finding.update(auth=ACCEPTED, returnCode=client.last_return_code, returnDesc=client.last_return_desc)
    except IsalesError as err:
        finding["error"] = err.msg
        if err.kind == KIND_TLS:
            finding.update(reachable=True, tls="failed: %s" % (err.reason or err.msg))
            return finding
        if err.kind in (KIND_CONNECTION, KIND_TIMEOUT) and err.status is None:
            return finding
        if err.kind == KIND_AUTH:
            finding["auth"] = REJECTED
        elif err.kind == KIND_API:
            # The server checked the signature, then refused the call itself (e.g. an unknown VDN).
            finding["auth"] = ACCEPTED
        else:
            finding["auth"] = UNKNOWN
        finding.update(returnCode=err.return_code, returnDesc=err.return_desc)
    exchange = client.last_exchange or {}
    finding.update(reachable=True, tls=tls, http_status=exchange.get("status"),
                   latency_ms=exchange.get("latency_ms"))
    if exchange.get("server_time") is not None:
        finding["server_time"] = signer.format_timestamp(exchange["server_time"])
        finding["clock_skew_seconds"] = client.clock_skew()
    return finding


def diagnose(client_for, vdn_id, configured, tls, probe_signing=False):
    """(findings of the main read, the probes' findings or None).

    client_for(names) -> a client that signs with names and does not retry.
    Without probe_signing: one request, signed as configured. With it: one
    request per documented dialect (at most three); the main findings are those
    of the configured dialect's read when it is one of them, else of the first.
    Stops after the first read when the server cannot be reached or TLS fails:
    every other read would fail the same way.
    """
    configured = list(normalize_signed_headers(configured))
    if not probe_signing:
        return read_once(client_for(configured), vdn_id, configured, tls), None
    probes = []
    for names in (list(dialect) for dialect in DIALECTS):
        finding = read_once(client_for(names), vdn_id, names, tls)
        probes.append(finding)
        if not finding["reachable"] or (finding["tls"] or "").startswith("failed"):
            break
    main = next((probe for probe in probes if probe["signed_headers"] == configured), probes[0])
    return main, probes


def accepted_dialects(probes):
    """The signed-header lists the server accepted, in the order they were probed."""
    return [probe["signed_headers"] for probe in probes or [] if probe["auth"] == ACCEPTED]


def _option(names):
    return "signed_headers: [%s] (env ISALES_SIGNED_HEADERS=%s)" % (", ".join(names), ",".join(names))


def advice(main, probes, configured):
    """(one-line message, warnings) saying what the findings mean and what to set."""
    configured = list(normalize_signed_headers(configured))
    warnings = []
    skew = main.get("clock_skew_seconds")
    clock = ""
    if skew is not None:
        clock = "; the server's clock is %d s %s this host's" % (abs(skew), "ahead of" if skew >= 0 else "behind")
        if abs(skew) > WARN_SKEW_SECONDS:
            warnings.append(
                "the server's clock (%s UTC) differs from this host's by %d s; the server refuses signatures "
                "more than 15 minutes (%d s) from its clock%s. Keep both clocks on NTP."
                % (main["server_time"], abs(skew), MAX_SKEW_SECONDS,
                   ", so it refuses every request now" if abs(skew) > MAX_SKEW_SECONDS else ""))
    if not main["reachable"]:
        return ("cannot reach the server: %s. Check url, the network path and any proxy." % main["error"]), warnings
    if (main["tls"] or "").startswith("failed"):
        return ("TLS verification failed (%s). If the server's certificate comes from a private CA, set ca_path "
                "(env ISALES_CA_PATH) to that CA's PEM bundle; do not switch validate_certs off."
                % main["tls"][len("failed: "):]), warnings
    if probes is not None:
        accepted = accepted_dialects(probes)
        if not accepted:
            if any(probe["auth"] == UNKNOWN for probe in probes):
                return ("the server's answers do not tell whether it accepts the signatures (HTTP %s): check url "
                        "(and its path prefix)." % ", ".join(str(p["http_status"]) for p in probes)), warnings
            return ("the server rejected the signature of every documented dialect (%s): check access_key and "
                    "secret_key, and the clocks%s."
                    % ("; ".join(";".join(p["signed_headers"]) for p in probes), clock)), warnings
        if accepted[0] == configured or configured in accepted:
            return ("the server accepts the signed headers in use (%s)%s; nothing to change."
                    % (";".join(configured), clock)), warnings
        return ("the server rejects the signed headers in use (%s) and accepts %s: set %s."
                % (";".join(configured), " and ".join(";".join(a) for a in accepted), _option(accepted[0]))), warnings
    if main["auth"] == ACCEPTED:
        return "the server accepted the signed request (signed headers %s)%s." % (";".join(configured), clock), warnings
    if main["auth"] == REJECTED:
        return ("the server rejected the signature (HTTP 401%s): check access_key and secret_key and the clocks%s; "
                "run again with probe_signing: true to test the other signed-header dialects."
                % (": %s" % main["returnDesc"] if main["returnDesc"] else "", clock)), warnings
    return ("the server answered HTTP %s, which does not tell whether it accepts the signature: check url (and its "
            "path prefix). %s" % (main["http_status"], main["error"] or "")).strip(), warnings
