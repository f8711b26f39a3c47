# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Overlapping rollouts (isales_retry_policies), as AWX schedules that meet make them.

Three ansible-playbook processes start together, each rolling a different result code out over
the same campaigns, every request taking LATENCY_MS: every campaign must end with all three codes
(each run's write, read-back and settle read re-plan over the others'), every run must succeed and
report each campaign changed, and a fourth run must send no write.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from conftest import output_crash_signs, requests_since, run_playbook, run_playbooks_at_once

VDN = 3201
CAMPAIGNS = 12
CODES = ("RACE1", "RACE2", "RACE3")
LATENCY_MS = 60

PLAYBOOK = """---
- name: One rollout
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  tasks:
    - name: Roll the code out
      huawei.isales.isales_retry_policies:
        vdn_id: %d
        all_campaigns: true
        no_retry_result_codes: "{{ codes }}"
        max_workers: 4
      register: rollout

    - name: Keep what it returned
      ansible.builtin.copy:
        content: "{{ rollout | to_json }}"
        dest: "{{ dump }}"
        mode: "0600"
""" % VDN


def seed(sim):
    sim.admin("POST", "/reset")
    sim.admin("POST", "/results", {"vdnId": VDN, "results": [
        {"displayResult": "Race result %s" % code, "resultCode": code, "obsCodes": ["00601"]} for code in CODES]})
    sim.admin("POST", "/campaigns", {"vdnId": VDN, "campaigns": [
        {"campaignId": "R%02d" % index, "name": "Race %d" % index, "status": 2,
         "retryPolicy": {"retryPolicyId": str(index), "policyType": 0, "busiPolicy": "kept",
                         "policyJson": "{\"type\":0,\"retryDay\":2,\"vendorExtra\":{\"a\":%d}}" % index}}
        for index in range(CAMPAIGNS)]})


def codes_of(policy):
    document = json.loads(policy["policyJson"])
    return sorted(document.get("noRetryPolicy") or [])


def test_three_overlapping_rollouts_leave_every_code_in_every_campaign(sim, tmp_path):
    seed(sim)
    playbook = tmp_path / "rollout.yml"
    playbook.write_text(PLAYBOOK)
    sim.admin("POST", "/config", {"latency_ms": LATENCY_MS})
    try:
        runs = run_playbooks_at_once([
            (str(playbook), "localhost,", ["-e", json.dumps({"codes": [code], "dump": str(tmp_path / code)})],
             sim.env()) for code in CODES])
    finally:
        sim.admin("POST", "/config", {"latency_ms": 0})
    for run in runs:
        assert run.returncode == 0, run.output[-4000:]
        assert output_crash_signs(run) == [], run.output[-4000:]
    for code in CODES:
        with open(str(tmp_path / code), encoding="utf-8") as handle:
            result = json.load(handle)
        assert result["counts"] == {"changed": CAMPAIGNS, "unchanged": 0, "skipped": 0, "failed": 0,
                                    "not_attempted": 0}, result["counts"]
        for campaign in result["campaigns"]:
            assert code in campaign["retry_policy"]["no_retry_result_codes"], campaign
    seeded = sim.admin("GET", "/campaigns?vdn=%d" % VDN)["campaigns"]
    assert len(seeded) == CAMPAIGNS
    for campaign in seeded:
        policy = campaign["retryPolicy"]
        assert codes_of(policy) == sorted(CODES), (campaign["campaignId"], policy)
        # Every key of the seeded document survived three writers.
        document = json.loads(policy["policyJson"])
        assert document["vendorExtra"] == {"a": int(campaign["campaignId"][1:])} and document["retryDay"] == 2
        assert policy["busiPolicy"] == "kept"
    sets = [record for record in requests_since(sim) if record["call"] == "retry_policy.set"]
    # At least one write per run and campaign; a run writes again only after reading that another run's
    # write replaced its change (at most 3 writes per run and campaign).
    assert CAMPAIGNS * len(CODES) <= len(sets) <= 3 * CAMPAIGNS * len(CODES), len(sets)

    before = max(record["seq"] for record in requests_since(sim))
    extra = json.dumps({"codes": list(CODES), "dump": str(tmp_path / "again")})
    again = run_playbook(str(playbook), args=["-e", extra], env=sim.env())
    assert again.returncode == 0, again.output[-4000:]
    assert [record for record in requests_since(sim, before) if record["call"] == "retry_policy.set"] == []
