# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TLS: a server whose certificate no trusted CA signed fails, pointing at ca_path; the right ca_path
works; REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE in the environment override neither ca_path nor validate_certs."""

from __future__ import absolute_import, division, print_function

import json
import re

import simctl
from conftest import run_playbook


def test_tls(sim, self_signed_sim, secret, tmp_path):
    sim.admin("POST", "/reset")
    self_signed_sim.admin("POST", "/reset")
    dump = tmp_path / "tls.json"
    extra = {"good_url": sim.url, "good_ca": sim.ca_path, "bad_url": self_signed_sim.url,
             "bad_ca": self_signed_sim.ca_path, "foreign_ca": simctl.foreign_ca_bundle(), "dump": str(dump)}
    env = {"ISALES_ACCESS_KEY": sim.access_key, "ISALES_SECRET_KEY": secret}
    run = run_playbook("tls.yml", args=["-e", json.dumps(extra)], env=env)
    assert run.returncode == 0, run.output[-4000:]
    results = json.loads(dump.read_text())

    for name in ("default_no_ca", "default_wrong_ca", "env_does_not_add_trust"):
        result = results[name]
        assert result["failed"], name
        assert result["error_kind"] == "tls", (name, result["msg"])
        assert "TLS verification" in result["msg"] and "ca_path" in result["msg"], (name, result["msg"])
        assert "certificate verify failed" in result["msg"], (name, result["msg"])
        # In the words of the TLS library, not a repr of the exceptions around it.
        assert re.search(r"failed for GET \S+: certificate verify failed: [a-z]", result["msg"]), result["msg"]
        assert "Error(" not in result["msg"] and "_ssl.c" not in result["msg"], result["msg"]
        assert "Traceback" not in json.dumps(result)
    for name in ("right_ca", "env_does_not_override_ca_path", "env_does_not_override_validate_certs"):
        assert results[name]["changed"] and not results[name].get("failed"), (name, results[name])

    # Nothing reached the API of either server through a connection that failed verification.
    good_log = sim.admin("GET", "/requests")["requests"]
    assert sorted(set(r["vdn_id"] for r in good_log)) == [4001, 4002]
    bad_log = self_signed_sim.admin("GET", "/requests")["requests"]
    assert sorted(set(r["vdn_id"] for r in bad_log)) == [4004]
    assert secret not in run.output
