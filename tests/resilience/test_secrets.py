# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The secret key appears nowhere: not in any output at -vvvv (ANSIBLE_DEBUG off and on; normal, check
and diff mode; every failure path), not in the returned values, not in the simulator's request log.

One exception is ansible-core's own: with ANSIBLE_DEBUG=1 it prints every module's arguments, no_log
ones included, in a line "done with _execute_module (MODULE, {ARGS})" (plugins/action/__init__.py; its
documentation of DEFAULT_DEBUG says "Debug output can also include secret information despite no_log
settings being enabled"). So with ANSIBLE_DEBUG on, the real secret key is given the way AWX gives it,
through ISALES_SECRET_KEY (never a module argument), and must appear nowhere at all; the wrong secret key,
given as the secret_key option, may appear in those lines of ansible-core and nowhere else.
"""

from __future__ import absolute_import, division, print_function

import base64
import html
import json
import re
from urllib.parse import quote, quote_plus

import pytest

import simctl
from conftest import run_playbook

# Diff output only exists for tasks that succeed: the diff runs leave the failure paths to the others.
MODES = {"normal": [], "check": ["--check"], "diff": ["--diff", "--skip-tags", "failures"]}


def forms(secret):
    """The secret as it could show up: raw, URL-encoded, JSON-escaped, HTML-escaped, repr'd, base64."""
    dumped = json.dumps(secret, ensure_ascii=False)[1:-1]
    return dict(raw=secret, url=quote(secret, safe=""), url_plus=quote_plus(secret), json=dumped,
                json_slash=dumped.replace("/", "\\/"), json_ascii=json.dumps(secret, ensure_ascii=True)[1:-1],
                html=html.escape(secret), repr=repr(secret)[1:-1],
                base64=base64.b64encode(secret.encode("utf-8")).decode("ascii"))


def leaks(text, secrets):
    """[(secret name, form)] of every form of every secret found in text."""
    found = []
    for name, secret in secrets.items():
        for form, value in forms(secret).items():
            if value in text:
                found.append((name, form))
    return found


# ansible-core's ANSIBLE_DEBUG line that prints a module's arguments, no_log ones included.
CORE_ARGS_DEBUG = re.compile(r"^ *\d+ [\d.]+: done with _execute_module \(")


def outside_core_debug(text):
    """text without ansible-core's module-argument debug lines."""
    return "\n".join(line for line in text.splitlines() if not CORE_ARGS_DEBUG.match(line))


def test_each_form_of_the_secret_differs_and_is_found():
    secret = simctl.new_secret()
    values = forms(secret)
    assert len(set(values.values())) == len(values), values
    for form, value in values.items():
        assert leaks("x %s y" % value, {"sk": secret}) == [("sk", form)]


@pytest.mark.parametrize("debug", ["off", "on"])
@pytest.mark.parametrize("mode", sorted(MODES))
def test_no_secret_in_any_output(fresh, secret, tmp_path, mode, debug):
    wrong = "wrong-" + simctl.new_secret()
    vdn = 3100 + sorted(MODES).index(mode) * 2 + (debug == "on")
    dump = tmp_path / "results.json"
    env = fresh.env()
    if debug == "on":
        env["ANSIBLE_DEBUG"] = "1"
    extra = {"sim_url": fresh.url, "sim_ca": fresh.ca_path, "sim_admin": fresh.admin_url, "vdn": vdn,
             "wrong_secret": wrong, "wrong_ca": simctl.foreign_ca_bundle(), "dump": str(dump),
             "secret_via": "environment" if debug == "on" else "option"}
    run = run_playbook("secrets.yml", args=["-vvvv", "-e", json.dumps(extra)] + MODES[mode], env=env)
    assert run.returncode == 0, run.output[-4000:]
    results = json.loads(dump.read_text())

    # The play went where it should: the paths were really taken.
    assert results["created"]["changed"] and results["updated"]["changed"]
    assert results["deleted"]["changed"] == (mode != "check")  # check mode created nothing to delete
    assert results["server_info"]["auth"] == "accepted" and len(results["server_info"]["probes"]) == 3
    if mode == "diff":
        assert "+++ after" in run.output, "diff mode showed no diff"
    else:
        assert results["wrong_key"]["failed"] and results["wrong_key"]["error_kind"] == "auth"
        assert results["server_info_wrong_key"]["accepted_signed_headers"] == []
        assert results["bad_input"]["failed"]
        for option in ("vdn_id", "display_result", "result_code", "obs_codes"):
            assert option in results["bad_input"]["msg"]
        assert results["read_exhausted"]["failed"] and "gave up after 2 tries" in results["read_exhausted"]["msg"]
        if mode == "check":
            assert results["write_exhausted"]["changed"] and not results["write_exhausted"].get("failed")
        else:
            assert results["write_exhausted"]["failed"] and results["write_exhausted"]["attempts"] == 2
        assert results["tls_failure"]["failed"] and results["tls_failure"]["error_kind"] == "tls"
        assert "ca_path" in results["tls_failure"]["msg"]
    if debug == "on":
        assert "_low_level_execute_command" in run.output, "ANSIBLE_DEBUG had no effect"

    # ... and no form of either secret key showed anywhere.
    secrets = {"secret_key": secret, "wrong secret_key": wrong}
    log = fresh.admin("GET", "/requests")["requests"]
    assert log, "the simulator saw no request"
    assert leaks(run.output, {"secret_key": secret}) == []
    assert leaks(outside_core_debug(run.output), secrets) == []
    if debug == "off":
        assert leaks(run.output, secrets) == []
    assert leaks(dump.read_text(), secrets) == []
    assert leaks(json.dumps(log), secrets) == [] and leaks(json.dumps(log, ensure_ascii=False), secrets) == []
    assert leaks("".join(record["body"] for record in log), secrets) == []
