# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One playbook, forks 10, 20 VDNs at once against the simulator; then the same play again."""

from __future__ import absolute_import, division, print_function

import json
import sys

from conftest import run_playbook

VDNS = list(range(3001, 3021))
WRITES = ("ob_result.create", "ob_result.update", "ob_result.delete")


def write_inventory(path):
    hosts = dict(("vdn%d" % vdn, {"vdn_id": vdn, "ansible_connection": "local",
                                  "ansible_python_interpreter": sys.executable}) for vdn in VDNS)
    path.write_text(json.dumps({"all": {"children": {"vdns": {"hosts": hosts}}}}))
    return str(path)


def max_in_flight(records):
    """The most requests the server was working on at the same moment."""
    edges = []
    for record in records:
        edges.append((record["time"], 1))
        edges.append((record["time"] + record["duration_ms"] / 1000.0, -1))
    busy = most = 0
    for _moment, step in sorted(edges, key=lambda edge: (edge[0], edge[1])):
        busy += step
        most = max(most, busy)
    return most


def test_twenty_vdns_at_once_then_again(fresh, tmp_path):
    inventory = write_inventory(tmp_path / "vdns.json")
    # A little latency per request, so that requests of different hosts overlap on the server.
    fresh.admin("POST", "/config", {"latency_ms": 150})

    first = run_playbook("concurrency.yml", inventory, ["--forks", "10"], env=fresh.env())
    assert first.returncode == 0, first.output[-3000:]
    recap = first.recap()
    assert sorted(recap) == sorted("vdn%d" % vdn for vdn in VDNS)
    assert all(host["changed"] == 1 and host["failed"] == 0 for host in recap.values()), recap

    log = fresh.admin("GET", "/requests")["requests"]
    creates = [r for r in log if r["call"] == "ob_result.create"]
    assert len(creates) == 20 and all(r["returnCode"] == "0200000" for r in creates)
    assert sorted(r["vdn_id"] for r in creates) == VDNS
    assert [r for r in log if r["call"] in WRITES and r["call"] != "ob_result.create"] == []
    assert max_in_flight(log) >= 2, "the hosts did not run at the same time"

    for vdn in VDNS:
        results = fresh.admin("GET", "/results?vdn=%d" % vdn)["results"]
        assert results == [{"defId": results[0]["defId"], "displayResult": "No answer on VDN %d" % vdn,
                            "resultCode": "NA%03d" % (vdn % 1000), "obsCodes": ["00602", "00606"]}]
    def_ids = [fresh.admin("GET", "/results?vdn=%d" % vdn)["results"][0]["defId"] for vdn in VDNS]
    assert len(set(def_ids)) == 20

    last_seq = max(r["seq"] for r in log)
    second = run_playbook("concurrency.yml", inventory, ["--forks", "10"], env=fresh.env())
    assert second.returncode == 0, second.output[-3000:]
    recap = second.recap()
    assert all(host["changed"] == 0 and host["failed"] == 0 and host["ok"] == 1 for host in recap.values()), recap
    again = fresh.admin("GET", "/requests?since=%d" % last_seq)["requests"]
    assert again, "the second run sent no request at all"
    assert [r for r in again if r["call"] in WRITES] == [], "the second run wrote"
    for vdn, def_id in zip(VDNS, def_ids):
        results = fresh.admin("GET", "/results?vdn=%d" % vdn)["results"]
        assert [r["defId"] for r in results] == [def_id]
