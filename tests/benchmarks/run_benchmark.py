# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The huawei.isales benchmark: real ansible-playbook runs against the CC-iSales simulator.

Run it through `nox -s benchmark` (noxfile.py), which starts the simulator and exports
ISALES_URL, ISALES_ACCESS_KEY, ISALES_SECRET_KEY, ISALES_CA_PATH and
ISALES_SIM_ADMIN (the modules take their connection from those variables, so
no secret is ever on a command line) and ANSIBLE_COLLECTIONS_PATH.

Measured, with the simulator's injected latency at 0 ms and 20 ms:

1. per-task overhead: a no-change isales_ob_result task vs an ansible.builtin.uri
   task making the same signed queryOBSResults GET against the API (its
   Authorization computed by the collection's signer for each round),
   ITERATIONS loop items each, in alternating rounds;
2. bulk convergence: isales_ob_results on N existing results, no change;
3. bulk create: N new results in one isales_ob_results task;
4. looped isales_ob_result on min(N, 100) of the N results (25 at N >= 5000),
   no change;

for N in SIZES (one VDN each); and, at 20 ms, for campaign retry policies:

5. isales_retry_policy_info over every campaign of a VDN (150; 10 in the smoke run):
   the campaign pages (100 rows each), one policy read per campaign and the
   external results once, nothing else;
6. a no-change isales_retry_policy task (the campaign by name, a different one
   each loop item: the campaign list, the result list, one policy read - 3
   requests) beside a no-change isales_ob_result task (2), looped, in
   alternating rounds;
7. the rollout: isales_retry_policies, all_campaigns, adding a result code no
   policy has yet - exactly one write per campaign, each after the campaign's
   policy read and followed by its read-back and one settle read, the list
   reads before the first write (P campaign pages + 1 result page + N reads +
   N writes + 2N reads); its re-run and a
   check-mode run with another new code - no write, P + 1 + N requests; and the
   no-change bulk task's wall time per campaign against a looped no-change
   isales_retry_policy task's (6): at least TARGET_POLICY_SPEEDUP times less,
   asserted in the full run (150 campaigns), reported by the smoke run.

`--only retry-policies` measures 5 to 7 alone and adds them to an existing
OUT_DIR/benchmarks.json (the other figures stay as they were).

Every request is counted on the simulator's
request log, and the counts are asserted: exactly N creates, one listing page
before them, the OBS code catalogue (2 pages) and a listing of the N results
after them (for another run's copies) for a bulk create; the N//50 + 1 pages of
the listing (a list ends with a short page) and N details for a bulk no-change
run; N//50 + 2 requests per looped task; and no write in any no-change run.
A wrong count exits 1 (and writes no report); a missed asserted speedup (7)
exits 1 after writing the report.

Writes OUT_DIR/benchmarks.json (every figure) and OUT_DIR/benchmarks.md (the
tables); tests/benchmarks/plot_benchmark.py draws OUT_DIR/benchmarks.png.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
PAGE = 50
WRITE_CALLS = ("ob_result.create", "ob_result.update", "ob_result.delete", "retry_policy.set")
BULK_VDN = 9100
SEEDED_VDN = 9200
OVERHEAD_VDN = 9300
POLICY_VDN = 9500

# assert_policy_speedup: whether the rollout's per-campaign speedup (TARGET_POLICY_SPEEDUP) is asserted, or reported.
FULL = dict(sizes=[10, 100, 1000, 5000], latencies=[0, 20], iterations=50, rounds=4, loop_items=100,
            loop_items_large=25, repeats=3, campaigns=150, policy_items=20, policy_rounds=4,
            assert_policy_speedup=True)
SMALLEST = dict(sizes=[10], latencies=[0, 20], iterations=5, rounds=1, loop_items=10, loop_items_large=10, repeats=1,
                campaigns=10, policy_items=3, policy_rounds=1, assert_policy_speedup=False)
POLICY_LATENCY = 20
CAMPAIGN_PAGE = 100
POLICY_RESULT = {"result_code": "NR1", "display_result": "Retry policies: no retry", "obs_codes": ["00601"]}
# The code the rollout adds to every policy, and the one the check-mode run would add.
ROLLOUT_RESULT = {"result_code": "NR2", "display_result": "Retry policies: rolled out", "obs_codes": ["00602"]}
CHECK_RESULT = {"result_code": "NR3", "display_result": "Retry policies: check mode only", "obs_codes": ["00603"]}

TARGET_RATIO = 1.10
TARGET_BULK_SECONDS = 3.0
TARGET_SPEEDUP = 20.0
TARGET_POLICY_SPEEDUP = 20.0


LIST_PATH = "/rest/isales/v1/openapi/campaigns/%d/queryOBSResults"
CONTENT_TYPE = "application/json; charset=UTF-8"


def signed_list_read(vdn):
    """The Authorization of a GET of the first page of vdn's list, signed now by the collection's signer
    (for ansible.builtin.uri, which cannot sign): auth-v2 accepts it for 15 minutes."""
    import importlib  # pylint: disable=import-outside-toplevel

    sys.path[:0] = [p for p in os.environ.get("ANSIBLE_COLLECTIONS_PATH", "").split(os.pathsep) if p]
    signer = importlib.import_module("ansible_collections.huawei.isales.plugins.module_utils.signer")
    host = urllib.parse.urlsplit(os.environ["ISALES_URL"]).netloc
    return signer.authorization(os.environ["ISALES_ACCESS_KEY"], os.environ["ISALES_SECRET_KEY"], "GET",
                                urllib.parse.urlsplit(os.environ["ISALES_URL"]).path.rstrip("/") + LIST_PATH % vdn,
                                query={"pageSize": "50", "pageNum": "1"}, headers={"host": host})


class CountError(Exception):
    """A request count that is not what the design promises."""


# ---------------------------------------------------------------- simulator admin

class Admin(object):
    def __init__(self, url, ca_path):
        self.url = url.rstrip("/")
        self.context = ssl.create_default_context(cafile=ca_path)
        self.seq = 0
        self.last_records = []

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, context=self.context, timeout=120) as answer:
            return json.loads(answer.read().decode("utf-8"))

    def latency(self, ms):
        self.call("POST", "/config", {"latency_ms": ms})

    def clear(self, vdn):
        self.call("DELETE", "/results?vdn=%d" % vdn)

    def seed(self, vdn, config):
        items = [{"resultCode": e["result_code"], "displayResult": e["display_result"], "obsCodes": e["obs_codes"]}
                 for e in config]
        return self.call("POST", "/results", {"vdnId": vdn, "results": items})["defIds"]

    def results(self, vdn):
        return self.call("GET", "/results?vdn=%d" % vdn)["results"]

    def new_requests(self):
        """The API requests the simulator served since the previous call."""
        records = self.call("GET", "/requests?since=%d" % self.seq)["requests"]
        if records:
            self.seq = max(r["seq"] for r in records)
        self.last_records = records
        return records

    def skip_to_now(self):
        self.new_requests()


def count_calls(records):
    counts = {}
    for record in records:
        counts[record.get("call")] = counts.get(record.get("call"), 0) + 1
    counts["total"] = len(records)
    counts["writes"] = sum(counts.get(call, 0) for call in WRITE_CALLS)
    return counts


# ---------------------------------------------------------------- ansible-playbook

class Runner(object):
    """Writes playbooks (as JSON, which is YAML) and runs them, timing every task."""

    def __init__(self, work_dir, log):
        self.work_dir = work_dir
        self.log = log
        self.env = dict(os.environ)
        self.env.update({
            "ANSIBLE_CALLBACK_PLUGINS": os.path.join(HERE, "callback_plugins"),
            "ANSIBLE_CALLBACKS_ENABLED": "bench_timer",
            "ANSIBLE_STDOUT_CALLBACK": "ansible.builtin.default",
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_LOCALHOST_WARNING": "false",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
            "ANSIBLE_RETRY_FILES_ENABLED": "false",
            "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        })
        self.number = 0
        self.last_cpu = 0.0

    def play(self, tasks, data=None):
        """Run one play on localhost; returns [{name, seconds, failed}] for its tasks."""
        self.number += 1
        base = os.path.join(self.work_dir, "play-%03d" % self.number)
        playbook = [{"hosts": "localhost", "connection": "local", "gather_facts": False, "tasks": tasks}]
        with open(base + ".yml", "w") as handle:
            json.dump(playbook, handle, indent=1)
        command = [shutil.which("ansible-playbook") or "ansible-playbook", "-i", "localhost,", base + ".yml"]
        if data is not None:
            with open(base + ".vars.json", "w") as handle:
                json.dump(data, handle)
            command += ["-e", "@" + base + ".vars.json"]
        env = dict(self.env, BENCH_TIMER_OUT=base + ".times.json")
        with open(self.log, "a") as out:
            out.write("\n### %s\n" % " ".join(command))
            out.flush()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.monotonic()
            code = subprocess.call(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=self.work_dir)
            wall = time.monotonic() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.last_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        with open(base + ".times.json") as handle:
            times = json.load(handle)
        if code != 0 or any(t["failed"] for t in times):
            raise RuntimeError("ansible-playbook %s failed (exit %d); see %s" % (base + ".yml", code, self.log))
        for item in times:
            item["playbook_seconds"] = wall
        return times


def ob_results_task(vdn, state, extra=None):
    args = {"vdn_id": vdn, "state": state, "config": "{{ cfg }}"}
    args.update(extra or {})
    return {"name": "isales_ob_results %s" % state, "huawei.isales.isales_ob_results": args}


def ob_result_loop_task(vdn):
    return {"name": "isales_ob_result loop", "huawei.isales.isales_ob_result": {
        "vdn_id": vdn, "result_code": "{{ item.result_code }}", "display_result": "{{ item.display_result }}",
        "obs_codes": "{{ item.obs_codes }}"}, "loop": "{{ cfg }}", "loop_control": {"label": "{{ item.result_code }}"}}


def make_config(n, prefix="R"):
    return [{"result_code": "%s%d" % (prefix, i), "display_result": "Result %d: no retry" % i,
             "obs_codes": ["00601", "%05d" % (602 + i % 50)]} for i in range(n)]


# ---------------------------------------------------------------- measurements

def measure_overhead(runner, admin, iterations, rounds):
    """No-change isales_ob_result vs ansible.builtin.uri making the same signed queryOBSResults GET against
    the API, same loop length, alternating.

    The module reads the list and the result's detail (2 requests); uri sends the
    list read alone, with an Authorization computed for it by the collection's
    signer (auth-v2 has no nonce, so one signature serves a round). Each task runs
    in a playbook of its own, so that besides its wall time the CPU time of the
    whole process tree (ansible-playbook, its workers, the module processes) is
    known; an empty playbook's CPU time is subtracted from both.
    """
    admin.latency(0)
    admin.clear(OVERHEAD_VDN)
    config = make_config(1, prefix="O")
    admin.seed(OVERHEAD_VDN, config)
    entry = config[0]
    tasks = {
        "module": {"name": "module", "huawei.isales.isales_ob_result": {
            "vdn_id": OVERHEAD_VDN, "result_code": entry["result_code"], "display_result": entry["display_result"],
            "obs_codes": entry["obs_codes"]}, "loop": "{{ range(%d) | list }}" % iterations},
        "uri": {"name": "uri", "ansible.builtin.uri": {
            "url": os.environ["ISALES_URL"].rstrip("/") + LIST_PATH % OVERHEAD_VDN + "?pageSize=50&pageNum=1",
            "ca_path": os.environ["ISALES_CA_PATH"],
            "headers": {"Authorization": "{{ authorization }}", "Content-Type": CONTENT_TYPE},
            "return_content": True},
            "loop": "{{ range(%d) | list }}" % iterations},
    }
    wall = {"module": [], "uri": []}
    cpu = {"module": [], "uri": []}
    empty = []
    for number in range(rounds):
        runner.play([])
        empty.append(runner.last_cpu)
        for name in (("module", "uri") if number % 2 == 0 else ("uri", "module")):
            admin.skip_to_now()
            times = runner.play([tasks[name]], data={"authorization": signed_list_read(OVERHEAD_VDN)})
            wall[name].append(times[0]["seconds"])
            cpu[name].append(runner.last_cpu)
            counts = count_calls(admin.new_requests())
            if name == "module":
                expect(counts, "ob_result.list", iterations, "overhead: one listing per task")
                expect(counts, "ob_result.detail", iterations, "overhead: one detail per task")
                expect(counts, "writes", 0, "overhead: no write")
            else:
                expect(counts, "ob_result.list", iterations, "overhead: uri sends the list read, signed")
                expect(counts, "total", iterations, "overhead: uri sends nothing else")
                if any(record["auth"] != "ok" for record in admin.last_records):
                    raise CountError("overhead: the simulator refused uri's signature")
    admin.clear(OVERHEAD_VDN)
    # Sums over the rounds: with as many rounds of each order, an effect of going first cancels out.
    base = statistics.median(empty)
    module_item = sum(wall["module"]) / (iterations * rounds)
    uri_item = sum(wall["uri"]) / (iterations * rounds)
    module_cpu = (sum(cpu["module"]) / rounds - base) / iterations
    uri_cpu = (sum(cpu["uri"]) / rounds - base) / iterations
    return {
        "iterations": iterations, "rounds": rounds,
        "module_task_seconds": wall["module"], "uri_task_seconds": wall["uri"],
        "module_cpu_seconds": cpu["module"], "uri_cpu_seconds": cpu["uri"], "empty_playbook_cpu_seconds": empty,
        "module_ms_per_item": module_item * 1000, "uri_ms_per_item": uri_item * 1000,
        "ratio": module_item / uri_item,
        "round_ratios": [m / u for m, u in zip(wall["module"], wall["uri"])],
        "module_cpu_ms_per_item": module_cpu * 1000, "uri_cpu_ms_per_item": uri_cpu * 1000,
        "cpu_ratio": module_cpu / uri_cpu if uri_cpu > 0 else None,
        "module_requests_per_item": 2, "uri_requests_per_item": 1,
    }


def breakdown(repeats=7):
    """Where a module run's time goes before it sends anything: fresh interpreters, median of repeats."""
    snippets = [
        ("python startup", "pass"),
        ("+ import AnsibleModule (both modules)", "import ansible.module_utils.basic"),
        ("+ import requests (isales_ob_result)", "import ansible.module_utils.basic, requests"),
        ("+ import module_utils.urls (uri)", "import ansible.module_utils.basic, ansible.module_utils.urls"),
        ("+ import the collection's client", "import ansible.module_utils.basic\n"
         "from ansible_collections.huawei.isales.plugins.module_utils import _client, _common, _module, _ob_result"),
    ]
    out = []
    for label, code in snippets:
        samples = []
        for _dummy in range(repeats):
            started = time.monotonic()
            subprocess.check_call([sys.executable, "-c", code], env=_collection_env())
            samples.append(time.monotonic() - started)
        out.append({"what": label, "ms": statistics.median(samples) * 1000})
    return out


def _collection_env():
    env = dict(os.environ)
    paths = [p for p in env.get("ANSIBLE_COLLECTIONS_PATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join(paths + [env.get("PYTHONPATH", "")]).strip(os.pathsep)
    return env


def expect(counts, key, want, what):
    got = counts.get(key, 0)
    if got != want:
        raise CountError("%s: expected %d %s request(s), the simulator logged %d (%s)" % (what, want, key, got, counts))


def pages(n):
    """Listing pages read for n results: full pages, then the short (or empty) one that ends the list."""
    return n // PAGE + 1


CATALOGUE_PAGES = 2  # the simulator's default OBS code catalogue: 60 codes


def measure_size(runner, admin, n, latency, loop_items, repeats):
    """Bulk create, bulk no-change and a looped no-change isales_ob_result at one size and latency."""
    admin.latency(latency)
    config = make_config(n)
    row = {"n": n, "latency_ms": latency}

    # bulk create: N new results in one task, on an empty VDN
    admin.clear(BULK_VDN)
    admin.skip_to_now()
    times = runner.play([ob_results_task(BULK_VDN, "merged")], data={"cfg": config})
    counts = count_calls(admin.new_requests())
    expect(counts, "ob_result.create", n, "bulk create of %d" % n)
    expect(counts, "ob_result.list", 1 + pages(n), "bulk create of %d: the listing before, and the one after" % n)
    expect(counts, "obs_code.list", CATALOGUE_PAGES, "bulk create of %d: the catalogue, to check the codes written" % n)
    expect(counts, "total", n + 1 + CATALOGUE_PAGES + pages(n), "bulk create of %d: nothing else" % n)
    if len(admin.results(BULK_VDN)) != n:
        raise CountError("bulk create of %d: the VDN does not hold %d results" % (n, n))
    row["create"] = {"seconds": times[0]["seconds"], "requests": counts["total"],
                     "creates": counts["ob_result.create"], "lists": counts["ob_result.list"]}
    admin.clear(BULK_VDN)

    # bulk no-change on N seeded results
    admin.clear(SEEDED_VDN)
    admin.seed(SEEDED_VDN, config)
    samples = []
    for _dummy in range(repeats):
        admin.skip_to_now()
        times = runner.play([ob_results_task(SEEDED_VDN, "replaced")], data={"cfg": config})
        counts = count_calls(admin.new_requests())
        expect(counts, "ob_result.list", pages(n), "bulk no-change on %d: listing pages" % n)
        expect(counts, "ob_result.detail", n, "bulk no-change on %d: details" % n)
        expect(counts, "writes", 0, "bulk no-change on %d: writes" % n)
        samples.append(times[0]["seconds"])
    row["bulk"] = {"seconds": statistics.median(samples), "samples": samples, "requests": counts["total"],
                   "per_result_ms": statistics.median(samples) / n * 1000,
                   "requests_per_result": counts["total"] / float(n)}

    # looped isales_ob_result, no change, on min(N, loop_items) of them
    k = min(n, loop_items)
    admin.skip_to_now()
    times = runner.play([ob_result_loop_task(SEEDED_VDN)], data={"cfg": config[:k]})
    counts = count_calls(admin.new_requests())
    expect(counts, "ob_result.list", k * pages(n), "loop of %d on %d: listing pages" % (k, n))
    expect(counts, "ob_result.detail", k, "loop of %d on %d: details" % (k, n))
    expect(counts, "writes", 0, "loop of %d on %d: writes" % (k, n))
    row["loop"] = {"items": k, "seconds": times[0]["seconds"], "requests": counts["total"],
                   "per_result_ms": times[0]["seconds"] / k * 1000,
                   "requests_per_result": counts["total"] / float(k)}
    row["speedup_per_result"] = row["loop"]["per_result_ms"] / row["bulk"]["per_result_ms"]
    admin.clear(SEEDED_VDN)
    return row


def measure_workers(runner, admin, n, latency, workers):
    """The bulk no-change run again with another max_workers."""
    admin.latency(latency)
    config = make_config(n)
    admin.clear(SEEDED_VDN)
    admin.seed(SEEDED_VDN, config)
    admin.skip_to_now()
    times = runner.play([ob_results_task(SEEDED_VDN, "replaced", {"max_workers": workers})], data={"cfg": config})
    counts = count_calls(admin.new_requests())
    expect(counts, "ob_result.detail", n, "bulk no-change on %d with max_workers %d" % (n, workers))
    expect(counts, "writes", 0, "bulk no-change on %d with max_workers %d" % (n, workers))
    admin.clear(SEEDED_VDN)
    return {"n": n, "latency_ms": latency, "max_workers": workers, "seconds": times[0]["seconds"],
            "requests": counts["total"]}


def measure_parallel_create(runner, admin, n, latency, write_workers):
    """The bulk create again, with concurrent writes."""
    admin.latency(latency)
    config = make_config(n)
    admin.clear(BULK_VDN)
    admin.skip_to_now()
    times = runner.play([ob_results_task(BULK_VDN, "merged", {"write_workers": write_workers})], data={"cfg": config})
    counts = count_calls(admin.new_requests())
    expect(counts, "ob_result.create", n, "bulk create of %d with write_workers %d" % (n, write_workers))
    expect(counts, "ob_result.list", 1 + pages(n),
           "bulk create of %d with write_workers %d: the listings before and after" % (n, write_workers))
    admin.clear(BULK_VDN)
    return {"n": n, "latency_ms": latency, "write_workers": write_workers, "seconds": times[0]["seconds"],
            "requests": counts["total"]}


def campaign_pages(n):
    """Campaign list pages read for n campaigns: full pages of 100, then the short (or empty) one."""
    return n // CAMPAIGN_PAGE + 1


def seed_campaigns(admin, vdn, n):
    """vdn with three external results and n campaigns (names of one length: no name holds another), each
    with a global policy whose no-retry list names the first (the other two: for the rollout and the
    check-mode run)."""
    admin.call("DELETE", "/campaigns?vdn=%d" % vdn)
    admin.clear(vdn)
    admin.seed(vdn, [POLICY_RESULT, ROLLOUT_RESULT, CHECK_RESULT])
    doc = json.dumps({"type": 0, "retryDay": 2, "retryTimes": 3, "noRetryPolicy": [POLICY_RESULT["result_code"]]})
    campaigns = [{"campaignId": "B%04d" % number, "name": "Campaign %04d" % number, "status": 2,
                  "retryPolicy": {"retryPolicyId": str(number), "policyType": 0, "policyJson": doc}}
                 for number in range(1, n + 1)]
    admin.call("POST", "/campaigns", {"vdnId": vdn, "campaigns": campaigns})
    return campaigns


def measure_retry_policies(runner, admin, n, items, rounds, repeats, latency=POLICY_LATENCY):
    """isales_retry_policy_info over n campaigns; a no-change isales_retry_policy task beside a no-change
    isales_ob_result task (loops of `items`, `rounds` rounds alternating which goes first); the rollout
    (measure_rollout)."""
    admin.latency(latency)
    campaigns = seed_campaigns(admin, POLICY_VDN, n)
    out = {"campaigns": n, "latency_ms": latency, "items": items, "rounds": rounds}

    info = [{"name": "isales_retry_policy_info", "huawei.isales.isales_retry_policy_info": {"vdn_id": POLICY_VDN},
             "register": "info"},
            {"name": "every campaign read", "ansible.builtin.assert": {
                "that": ["info.retry_policies | length == %d" % n,
                         "info.retry_policies | map(attribute='dangling_result_codes') | flatten | length == 0"]}}]
    samples = []
    for _dummy in range(repeats):
        admin.skip_to_now()
        times = runner.play(info)
        counts = count_calls(admin.new_requests())
        what = "isales_retry_policy_info over %d campaigns" % n
        expect(counts, "campaign.list", campaign_pages(n), what + ": campaign pages")
        expect(counts, "retry_policy.get", n, what + ": one policy read per campaign")
        expect(counts, "ob_result.list", 1, what + ": the external results, once")
        expect(counts, "total", campaign_pages(n) + n + 1, what + ": nothing else")
        samples.append(times[0]["seconds"])
    out["info"] = {"seconds": statistics.median(samples), "samples": samples, "requests": counts["total"],
                   "campaign_pages": counts["campaign.list"], "policy_reads": counts["retry_policy.get"],
                   "result_pages": counts["ob_result.list"]}

    loop = "{{ range(%d) | list }}" % items
    # A different campaign each item (the first `items` of them, again from the first when there are fewer).
    names = [campaigns[number % n]["name"] for number in range(items)]
    tasks = {
        "isales_retry_policy": {"name": "isales_retry_policy", "huawei.isales.isales_retry_policy": {
            "vdn_id": POLICY_VDN, "campaign_name": "{{ item }}",
            "no_retry_result_codes": [POLICY_RESULT["result_code"]]}, "loop": "{{ names }}"},
        "isales_ob_result": {"name": "isales_ob_result", "huawei.isales.isales_ob_result": dict(
            POLICY_RESULT, vdn_id=POLICY_VDN), "loop": loop},
    }
    per_task = {"isales_retry_policy": 3, "isales_ob_result": 2}
    wall = {"isales_retry_policy": [], "isales_ob_result": []}
    for number in range(rounds):
        for name in (("isales_retry_policy", "isales_ob_result") if number % 2 == 0
                     else ("isales_ob_result", "isales_retry_policy")):
            admin.skip_to_now()
            times = runner.play([tasks[name]], data={"names": names})
            counts = count_calls(admin.new_requests())
            what = "no-change %s, %d tasks" % (name, items)
            if name == "isales_retry_policy":
                expect(counts, "campaign.list", items, what + ": the campaign read")
                expect(counts, "ob_result.list", items, what + ": the result list")
                expect(counts, "retry_policy.get", items, what + ": one policy read")
            else:
                expect(counts, "ob_result.list", items, what + ": the listing")
                expect(counts, "ob_result.detail", items, what + ": the detail")
            expect(counts, "total", per_task[name] * items, what + ": nothing else (no write)")
            wall[name].append(times[0]["seconds"])
    for name, seconds in wall.items():
        out[name] = {"task_seconds": seconds, "ms_per_task": sum(seconds) / (items * rounds) * 1000,
                     "requests_per_task": per_task[name]}

    out["rollout"] = measure_rollout(runner, admin, campaigns, repeats, out["isales_retry_policy"]["ms_per_task"])
    admin.call("DELETE", "/campaigns?vdn=%d" % POLICY_VDN)
    admin.clear(POLICY_VDN)
    return out


def rollout_task(code, check_mode=False):
    """isales_retry_policies over every campaign of POLICY_VDN, declaring code in their no-retry lists."""
    task = {"name": "isales_retry_policies" + (" (check mode)" if check_mode else ""),
            "huawei.isales.isales_retry_policies": {"vdn_id": POLICY_VDN, "all_campaigns": True,
                                                    "no_retry_result_codes": [code]},
            "register": "rollout"}
    if check_mode:
        task["check_mode"] = True
    return task


def rollout_account(n, changed, requests, code):
    """The task's own account of a rollout, asserted in the play (it sends no request): its counts, its
    api_requests (the figure the simulator's log must show too) and code in every campaign's policy as the
    task returns it (as planned, in check mode)."""
    tally = {"changed": changed, "unchanged": n - changed, "skipped": 0, "failed": 0, "not_attempted": 0}
    return {"name": "the task's own account", "ansible.builtin.assert": {"that": [
        "rollout is %s" % ("changed" if changed else "not changed"),
        "rollout.counts == %s" % json.dumps(tally, sort_keys=True),
        "rollout.api_requests == %d" % requests,
        "rollout.campaigns | length == %d" % n,
        "rollout.campaigns | selectattr('retry_policy.no_retry_result_codes', 'contains', '%s') | list | length == %d"
        % (code, n)]}}


def campaign_of(record):
    """The campaign id of a retry-policy request (the last segment of its path)."""
    return urllib.parse.unquote(record["path"].rstrip("/").rsplit("/", 1)[-1])


def check_rollout_order(records, ids, what):
    """Every campaign's policy requests, in the log's order, are: its read, the write, the read-back, the
    settle read (with all_campaigns a campaign is read, planned and written in one go, in parallel with the
    others); the list reads come before the first write. Returns (policy reads before each campaign's write,
    reads after it), summed over the campaigns."""
    records = sorted(records, key=lambda record: record["seq"])
    refused = [record for record in records if record.get("status") != 200 or record.get("auth") != "ok"]
    if refused:
        raise CountError("%s: %d request(s) not answered 200 with a valid signature, the first: %s"
                         % (what, len(refused), refused[0]))
    sequences = {}
    for record in records:
        if record["call"] in ("retry_policy.get", "retry_policy.set"):
            sequences.setdefault(campaign_of(record), []).append(record["call"].split(".")[1])
    want = ["get", "set", "get", "get"]
    wrong = ["%s: %s" % (cid, "/".join(sequences.get(cid, []))) for cid in ids if sequences.get(cid) != want]
    stray = sorted(set(sequences) - set(ids))
    if wrong or stray:
        raise CountError("%s: each campaign's requests must be get/set/get/get (read, write, read-back, settle "
                         "read); %s%s" % (what, "; ".join(wrong[:10]), " - and requests about campaigns %s" % stray
                                          if stray else ""))
    first_write = min(record["seq"] for record in records if record["call"] == "retry_policy.set")
    late = [record["call"] for record in records
            if record["seq"] > first_write and record["call"] not in ("retry_policy.get", "retry_policy.set")]
    if late:
        raise CountError("%s: list reads after the first write: %s" % (what, late))
    return (sum(sequence.index("set") for sequence in sequences.values()),
            sum(len(sequence) - sequence.index("set") - 1 for sequence in sequences.values()))


def policy_codes(admin, vdn):
    """{campaign id: the result codes of its policy's no-retry list}, as the simulator holds them."""
    out = {}
    for item in admin.call("GET", "/campaigns?vdn=%d" % vdn)["campaigns"]:
        document = json.loads(item["retryPolicy"]["policyJson"])
        value = document.get("noRetryPolicy")
        if isinstance(value, str):
            value = json.loads(value) if value.lstrip().startswith("[") else [
                code.strip() for code in value.split(",") if code.strip()]
        out[item["campaignId"]] = sorted(value or [])
    return out


def check_policies(admin, ids, codes, what):
    """Every campaign's no-retry list holds exactly codes (as the simulator holds it)."""
    held = policy_codes(admin, POLICY_VDN)
    wrong = ["%s: %s" % (cid, held.get(cid)) for cid in ids if held.get(cid) != sorted(codes)]
    if wrong or len(held) != len(ids):
        raise CountError("%s: every policy's no-retry list must be %s; %d campaign(s) differ: %s"
                         % (what, sorted(codes), len(wrong), "; ".join(wrong[:10])))


def expect_policy_reads(counts, n, cpages, what):
    """A run of isales_retry_policies that writes nothing: the campaign pages, the result page, one policy
    read per campaign, nothing else."""
    expect(counts, "writes", 0, what + ": no write")
    expect(counts, "campaign.list", cpages, what + ": campaign pages")
    expect(counts, "ob_result.list", 1, what + ": the external results, once")
    expect(counts, "retry_policy.get", n, what + ": one policy read per campaign")
    expect(counts, "total", cpages + 1 + n, what + ": nothing else")


def measure_rollout(runner, admin, campaigns, repeats, loop_ms_per_task):
    """isales_retry_policies with all_campaigns on the seeded campaigns (each policy holding POLICY_RESULT's
    code): the rollout of ROLLOUT_RESULT's code, its re-run (`repeats` no-change runs: the bulk no-change
    task), a check-mode run declaring CHECK_RESULT's code; every count asserted on the simulator's log and
    on the task's own account, every policy read back from the simulator. The speedup is the no-change
    looped isales_retry_policy task's wall time (loop_ms_per_task) over the no-change bulk task's per
    campaign."""
    started = time.monotonic()
    n = len(campaigns)
    ids = [item["campaignId"] for item in campaigns]
    cpages = campaign_pages(n)
    reads_only = cpages + 1 + n
    written = reads_only + 3 * n
    seeded, code, other = POLICY_RESULT["result_code"], ROLLOUT_RESULT["result_code"], CHECK_RESULT["result_code"]
    out = {"campaigns": n, "campaign_pages": cpages, "result_pages": 1, "seed_code": seeded, "code": code,
           "check_code": other}

    # The rollout: one write per campaign, each with its read-back and settle read.
    what = "rollout of %s over %d campaigns" % (code, n)
    admin.skip_to_now()
    times = runner.play([rollout_task(code), rollout_account(n, n, written, code)])
    records = admin.new_requests()
    counts = count_calls(records)
    expect(counts, "retry_policy.set", n, what + ": one write per campaign")
    expect(counts, "writes", n, what + ": no other write")
    expect(counts, "retry_policy.get", 3 * n, what + ": one read per campaign before the writes, the read-back and "
           "the settle read of each write")
    expect(counts, "campaign.list", cpages, what + ": campaign pages")
    expect(counts, "ob_result.list", 1, what + ": the external results, once")
    expect(counts, "total", written, what + ": nothing else")
    before, after = check_rollout_order(records, ids, what)
    if (before, after) != (n, 2 * n):
        raise CountError("%s: %d policy reads before the writes and %d after them, not %d and %d"
                         % (what, before, after, n, 2 * n))
    check_policies(admin, ids, [seeded, code], what)
    out["rollout"] = {"seconds": times[0]["seconds"], "requests": counts["total"], "api_requests": written,
                      "writes": counts["retry_policy.set"], "reads_before": before, "reads_after": after,
                      "changed": n}

    # Its re-run, no change: the bulk no-change task.
    samples = []
    for number in range(repeats):
        what = "re-run %d of the rollout of %s over %d campaigns" % (number + 1, code, n)
        admin.skip_to_now()
        times = runner.play([rollout_task(code), rollout_account(n, 0, reads_only, code)])
        counts = count_calls(admin.new_requests())
        expect_policy_reads(counts, n, cpages, what)
        samples.append(times[0]["seconds"])
    check_policies(admin, ids, [seeded, code], "after the re-runs")
    out["rerun"] = {"seconds": statistics.median(samples), "samples": samples, "requests": counts["total"],
                    "api_requests": reads_only, "writes": 0, "policy_reads": counts["retry_policy.get"],
                    "unchanged": n}

    # Check mode, another code no policy has: every campaign would change, nothing is written.
    what = "check-mode rollout of %s over %d campaigns" % (other, n)
    admin.skip_to_now()
    times = runner.play([rollout_task(other, check_mode=True), rollout_account(n, n, reads_only, other)])
    counts = count_calls(admin.new_requests())
    expect_policy_reads(counts, n, cpages, what)
    check_policies(admin, ids, [seeded, code], what)
    out["check"] = {"seconds": times[0]["seconds"], "requests": counts["total"], "api_requests": reads_only,
                    "writes": 0, "policy_reads": counts["retry_policy.get"], "changed": n}

    out["bulk_ms_per_campaign"] = out["rerun"]["seconds"] / n * 1000
    out["loop_ms_per_task"] = loop_ms_per_task
    out["speedup"] = loop_ms_per_task / out["bulk_ms_per_campaign"]
    out["target_speedup"] = TARGET_POLICY_SPEEDUP
    out["part_seconds"] = time.monotonic() - started
    return out


# ---------------------------------------------------------------- report

def verdict(ok):
    return "**met**" if ok else "**missed**"


def render(data):
    lines = []
    add = lines.append
    overhead = data["overhead"]
    rows = data["rows"]
    add("# Benchmarks")
    add("")
    add("Generated by `%s` on %s (%s, Python %s, %d CPUs, ansible-core %s) in %.0f minutes. The simulator "
        "(`tests/simulator/isales_simulator.py`: HTTPS, auth-v2 verified) runs on the same machine; its "
        "injected latency is added to every API request. Times are Ansible task times (from the start of a task "
        "to the end of the play), request counts come from the simulator's request log, and every count below "
        "is asserted by the benchmark." % (data["command"], data["date"], data["platform"], data["python"],
                                           data["cpus"], data["ansible"], data["seconds"] / 60.0))
    if data.get("load_before") and data.get("load_after"):
        add("")
        add("Load average of the machine (1, 5, 15 min; %d CPUs): %s at the start of the run, %s at its end. "
            "Wall times on a loaded machine vary from run to run by tens of percent; request counts and CPU "
            "times much less." % (data["cpus"],
                                  "/".join("%.1f" % x for x in data["load_before"]),
                                  "/".join("%.1f" % x for x in data["load_after"])))
    add("")
    add("![wall time and requests against the number of results](benchmarks.png)")
    add("")
    add("## Targets")
    add("")
    key = _row(rows, 1000, 20)
    add("| target | measured | verdict |")
    add("|---|---|---|")
    add("| per-task overhead: no-change `isales_ob_result` / `ansible.builtin.uri` sending the same signed "
        "`queryOBSResults` GET, %d loop items, "
        "ratio <= %.2f | wall: %.0f ms / %.0f ms per item = **%.2f**; CPU: %.0f ms / %.0f ms per item = %.2f "
        "| %s |" % (overhead["iterations"], TARGET_RATIO, overhead["module_ms_per_item"], overhead["uri_ms_per_item"],
                    overhead["ratio"], overhead["module_cpu_ms_per_item"], overhead["uri_cpu_ms_per_item"],
                    overhead["cpu_ratio"] or 0, verdict(overhead["ratio"] <= TARGET_RATIO)))
    if key is None:
        add("| bulk convergence, speedup, bulk create at 1000 results / 20 ms | not measured in this run "
            "(only N = %s) | n/a |" % ", ".join(str(n) for n in sorted(set(r["n"] for r in rows))))
    else:
        add("| bulk convergence: `isales_ob_results`, 1000 existing results, no change, 20 ms latency, default "
            "max_workers 8: <= %.0f s | **%.2f s** (median of %d: %s) | %s |"
            % (TARGET_BULK_SECONDS, key["bulk"]["seconds"], len(key["bulk"]["samples"]),
               ", ".join("%.2f" % x for x in key["bulk"]["samples"]), verdict(key["bulk"]["seconds"] <= TARGET_BULK_SECONDS)))
        for item in data.get("workers") or []:
            add("| ... the same with max_workers %d | %.2f s | %s |"
                % (item["max_workers"], item["seconds"], verdict(item["seconds"] <= TARGET_BULK_SECONDS)))
        add("| ... and >= %.0fx less wall time per result than looped `isales_ob_result` (loop of %d) "
            "| %.1f ms vs %.0f ms per result = **%.0fx** | %s |"
            % (TARGET_SPEEDUP, key["loop"]["items"], key["bulk"]["per_result_ms"], key["loop"]["per_result_ms"],
               key["speedup_per_result"], verdict(key["speedup_per_result"] >= TARGET_SPEEDUP)))
        add("| bulk create: 1000 new results in one task: exactly 1000 create calls, the listing before and after "
            "them, the catalogue | %d creates, %d listing calls, **%d requests** in all, %.1f s | **met** (asserted) |"
            % (key["create"]["creates"], key["create"]["lists"], key["create"]["requests"], key["create"]["seconds"]))
    rollout = (data.get("retry_policies") or {}).get("rollout")
    if rollout:
        add("| retry-policy rollout over %d campaigns, %g ms latency: exactly %d writes and their read-backs; a "
            "re-run and a check-mode run write nothing | %d writes, %d reads after them, %d requests; re-run %d "
            "writes, check mode %d writes (%d campaigns would change) | **met** (asserted) |"
            % (rollout["campaigns"], data["retry_policies"]["latency_ms"], rollout["campaigns"],
               rollout["rollout"]["writes"], rollout["rollout"]["reads_after"], rollout["rollout"]["requests"],
               rollout["rerun"]["writes"], rollout["check"]["writes"], rollout["check"]["changed"]))
        add("| ... and a no-change `isales_retry_policies` task >= %.0fx less wall time per campaign than a looped "
            "no-change `isales_retry_policy` task | %.1f ms vs %.0f ms = **%.0fx** | %s |"
            % (rollout["target_speedup"], rollout["bulk_ms_per_campaign"], rollout["loop_ms_per_task"],
               rollout["speedup"], speedup_verdict(rollout)))
    add("")
    add("## Per-task overhead")
    add("")
    add("%d rounds, alternating which goes first, of %d loop items each, latency 0 ms, each task in a playbook of "
        "its own; the ratios above are of the sums over the rounds. `isales_ob_result` makes 2 requests per item "
        "(one listing page, one detail), `uri` 1. CPU is "
        "the user + system time of the whole process tree (ansible-playbook, its worker, the module processes) "
        "less that of an empty playbook (median %.2f s): it is what the machine's load does not distort."
        % (overhead["rounds"], overhead["iterations"], statistics.median(overhead["empty_playbook_cpu_seconds"])))
    add("")
    add("| round | `isales_ob_result` task (s) | `uri` task (s) | wall ratio | `isales_ob_result` CPU (s) "
        "| `uri` CPU (s) |")
    add("|---|---|---|---|---|---|")
    for number in range(overhead["rounds"]):
        add("| %d | %.2f | %.2f | %.2f | %.2f | %.2f |" % (
            number + 1, overhead["module_task_seconds"][number], overhead["uri_task_seconds"][number],
            overhead["round_ratios"][number], overhead["module_cpu_seconds"][number],
            overhead["uri_cpu_seconds"][number]))
    add("")
    if data.get("breakdown"):
        add("What a module pays before it sends anything (fresh interpreter with the collection's files on "
            "PYTHONPATH, median of 7; cumulative):")
        add("")
        add("| step | ms |")
        add("|---|---|")
        for item in data["breakdown"]:
            add("| %s | %.0f |" % (item["what"], item["ms"]))
        add("")
    add("## Wall time and requests against the number of results")
    add("")
    add("`bulk` is one `isales_ob_results` task over all N results (no change, default max_workers 8; median of "
        "%d runs); `loop` is `isales_ob_result` looped over min(N, 100) of them (25 at N = 5000; no change); "
        "`create` is one `isales_ob_results` task creating N results on an empty VDN (writes one after the "
        "other, the default)." % data["repeats"])
    add("")
    add("| latency | N | bulk task (s) | bulk ms/result | bulk requests | loop items | loop task (s) "
        "| loop ms/result | loop requests/result | speedup/result | create task (s) | create requests |")
    add("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        add("| %g ms | %d | %.2f | %.2f | %d | %d | %.1f | %.0f | %.2f | %.0fx | %.1f | %d |" % (
            row["latency_ms"], row["n"], row["bulk"]["seconds"], row["bulk"]["per_result_ms"], row["bulk"]["requests"],
            row["loop"]["items"], row["loop"]["seconds"], row["loop"]["per_result_ms"],
            row["loop"]["requests_per_result"], row["speedup_per_result"], row["create"]["seconds"],
            row["create"]["requests"]))
    add("")
    add("## Requests per result")
    add("")
    add("What a user can plan with (every count asserted). A list is read until a page shorter than 50, so N "
        "results take P = floor(N/50) + 1 listing pages; the simulator's OBS code catalogue takes C = %d pages. "
        "A create starts from an empty VDN (one listing page), checks the catalogue, and lists the VDN again after "
        "its writes:" % CATALOGUE_PAGES)
    add("")
    add("| N | `isales_ob_results`, no change: P + N | per result | `isales_ob_result`, per task: P + 1 "
        "| `isales_ob_results`, create: 1 + C + N + P | per result |")
    add("|---|---|---|---|---|---|")
    seen = set()
    for row in rows:
        if row["n"] in seen:
            continue
        seen.add(row["n"])
        add("| %d | %d | %.2f | %.0f | %d | %.3f |" % (
            row["n"], row["bulk"]["requests"], row["bulk"]["requests_per_result"], row["loop"]["requests_per_result"],
            row["create"]["requests"], row["create"]["requests"] / float(row["n"])))
    add("")
    if data.get("parallel_create"):
        add("## Bulk create with concurrent writes")
        add("")
        add("| N | latency | write_workers | task (s) | requests |")
        add("|---|---|---|---|---|")
        for item in data["parallel_create"]:
            add("| %d | %g ms | %d | %.1f | %d |" % (
                item["n"], item["latency_ms"], item["write_workers"], item["seconds"], item["requests"]))
        add("")
    if data.get("retry_policies"):
        lines.extend(render_retry_policies(data["retry_policies"]))
    notes = os.path.join(HERE, "NOTES.md")
    if os.path.exists(notes):
        with open(notes) as handle:
            add(handle.read().rstrip())
        add("")
    return "\n".join(lines)


def render_retry_policies(section):
    """The section of the campaign retry-policy measurements (Markdown lines)."""
    info, policy, result = section["info"], section["isales_retry_policy"], section["isales_ob_result"]
    lines = [
        "## Campaign retry policies",
        "",
        "Measured by `%s` on %s (%s, Python %s, %d CPUs, ansible-core %s; load average %s at the start, %s at "
        "the end), the simulator's latency at %g ms; every count is asserted. `isales_retry_policy_info` reads "
        "every campaign of a VDN of %d campaigns, each with a global policy naming one of the VDN's external "
        "results (the policies in parallel, default max_workers 8; median of %d run%s). The no-change tasks loop "
        "%d items in %d round%s, alternating which goes first; `isales_retry_policy` names the campaign by "
        "`campaign_name` (a different campaign each item) and lists a result code the policy already has, "
        "`isales_ob_result` names a result that is as declared."
        % (section["command"], section["date"], section["platform"], section["python"], section["cpus"],
           section["ansible"], "/".join("%.1f" % x for x in section["load_before"]),
           "/".join("%.1f" % x for x in section["load_after"]), section["latency_ms"], section["campaigns"],
           len(info["samples"]), "" if len(info["samples"]) == 1 else "s", section["items"], section["rounds"],
           "" if section["rounds"] == 1 else "s"),
        "",
        "| task | requests | time |",
        "|---|---|---|",
        "| `isales_retry_policy_info`, every campaign (%d) | %d campaign pages (100 rows) + %d policy reads + %d "
        "result page = **%d** | **%.2f s** (%s) |"
        % (section["campaigns"], info["campaign_pages"], info["policy_reads"], info["result_pages"],
           info["requests"], info["seconds"], ", ".join("%.2f" % x for x in info["samples"])),
        "| no-change `isales_retry_policy`, per task | **%d**: the campaign list (by name), the result list, one "
        "policy read; no write | **%.0f ms** |" % (policy["requests_per_task"], policy["ms_per_task"]),
        "| no-change `isales_ob_result`, per task | %d: one listing page, one detail | %.0f ms |"
        % (result["requests_per_task"], result["ms_per_task"]),
        "",
    ]
    if section.get("rollout"):
        lines.extend(render_rollout(section["rollout"], section))
    return lines


def speedup_verdict(rollout):
    if rollout.get("speedup_asserted"):
        return verdict(rollout["speedup"] >= rollout["target_speedup"]) + " (asserted)"
    return "reported, not asserted in this run (%d campaigns)" % rollout["campaigns"]


def render_rollout(rollout, section):
    """The lines of the rollout measurements (isales_retry_policies)."""
    n, cpages = rollout["campaigns"], rollout["campaign_pages"]
    first, rerun, check = rollout["rollout"], rollout["rerun"], rollout["check"]
    return [
        "### Rollout over every campaign: `isales_retry_policies`",
        "",
        "`isales_retry_policies` with `all_campaigns: true` on the same %d campaigns (default max_workers 8, "
        "writes included), each policy's no-retry list holding `%s`: the rollout declares `%s`, which no policy "
        "has yet; its re-run declares it again (no change; median of %d run%s); a check-mode run declares `%s`, "
        "which no policy has either. Asserted for each run: the requests in the simulator's log, by call; the "
        "task's own `api_requests` (equal to them) and `counts`; each campaign's policy requests, in the log's "
        "order, are its read, then (rollout) the write, the read-back and the settle read - a campaign is read, "
        "planned and written in one go, 8 campaigns at a time - and the list reads come before the first write; "
        "after each run, every policy the simulator holds lists exactly `%s` and `%s`."
        % (n, rollout["seed_code"], rollout["code"], len(rerun["samples"]), "" if len(rerun["samples"]) == 1 else "s",
           rollout["check_code"], rollout["seed_code"], rollout["code"]),
        "",
        "| run | writes (`retry_policy.set`) | reads | requests | outcome (`counts`) | task time |",
        "|---|---|---|---|---|---|",
        "| rollout of `%s` | **%d** | %d campaign page%s + %d result page + %d policy reads, one before each "
        "write, + **%d after them** (the read-back and settle read of each) | **%d** | changed %d | %.2f s |"
        % (rollout["code"], first["writes"], cpages, "" if cpages == 1 else "s", rollout["result_pages"],
           first["reads_before"],
           first["reads_after"], first["requests"], first["changed"], first["seconds"]),
        "| re-run (no change) | **%d** | %d + %d + %d policy reads | **%d** | unchanged %d | %.2f s (%s) |"
        % (rerun["writes"], cpages, rollout["result_pages"], rerun["policy_reads"], rerun["requests"],
           rerun["unchanged"], rerun["seconds"], ", ".join("%.2f" % x for x in rerun["samples"])),
        "| check mode, `%s` | **%d** | %d + %d + %d policy reads | **%d** | changed %d (predicted) | %.2f s |"
        % (rollout["check_code"], check["writes"], cpages, rollout["result_pages"], check["policy_reads"],
           check["requests"], check["changed"], check["seconds"]),
        "",
        "| no change, per campaign | time | requests |",
        "|---|---|---|",
        "| one `isales_retry_policies` task over %d campaigns (the re-run: %.2f s / %d) | **%.1f ms** | %.2f |"
        % (n, rerun["seconds"], n, rollout["bulk_ms_per_campaign"], rerun["requests"] / float(n)),
        "| a looped `isales_retry_policy` task (above: %d items x %d round%s) | **%.0f ms** | %d |"
        % (section["items"], section["rounds"], "" if section["rounds"] == 1 else "s", rollout["loop_ms_per_task"],
           section["isales_retry_policy"]["requests_per_task"]),
        "| speedup per campaign, target >= %.0fx | **%.0fx** | %s |"
        % (rollout["target_speedup"], rollout["speedup"], speedup_verdict(rollout)),
        "",
    ]


def _row(rows, n, latency):
    for row in rows:
        if row["n"] == n and row["latency_ms"] == latency:
            return row
    return None


def ansible_version():
    try:
        from ansible.release import __version__  # pylint: disable=import-outside-toplevel
        return __version__
    except ImportError:
        return "?"


def retry_policies(runner, admin, data, command=None):
    """The retry-policy measurements of data's plan, labelled with the run's command and machine."""
    plan = data["plan"]
    print("retry policies: %d campaigns, %g ms ..." % (plan["campaigns"], POLICY_LATENCY), flush=True)
    load = list(os.getloadavg())
    section = measure_retry_policies(runner, admin, plan["campaigns"], plan["policy_items"], plan["policy_rounds"],
                                     plan["repeats"])
    section.update((key, data[key]) for key in ("date", "platform", "python", "cpus", "ansible"))
    section["command"] = command or data["command"]
    section["load_before"], section["load_after"] = load, list(os.getloadavg())
    rollout = section["rollout"]
    rollout["speedup_asserted"] = bool(plan.get("assert_policy_speedup"))
    print("  isales_retry_policy_info: %d requests, %.2f s; no-change isales_retry_policy %.0f ms/task "
          "(%d requests), isales_ob_result %.0f ms/task (%d requests)" % (
              section["info"]["requests"], section["info"]["seconds"],
              section["isales_retry_policy"]["ms_per_task"], section["isales_retry_policy"]["requests_per_task"],
              section["isales_ob_result"]["ms_per_task"], section["isales_ob_result"]["requests_per_task"]),
          flush=True)
    print("  isales_retry_policies over %d campaigns: rollout %d writes, %d reads before and %d after them, %d "
          "requests, %.2f s; re-run %d writes, %d requests, %.2f s; check mode %d writes, %d requests, %.2f s; "
          "no change %.1f ms/campaign vs %.0f ms/looped task: %.0fx (%s); these runs took %.1f s" % (
              rollout["campaigns"], rollout["rollout"]["writes"], rollout["rollout"]["reads_before"],
              rollout["rollout"]["reads_after"], rollout["rollout"]["requests"], rollout["rollout"]["seconds"],
              rollout["rerun"]["writes"], rollout["rerun"]["requests"], rollout["rerun"]["seconds"],
              rollout["check"]["writes"], rollout["check"]["requests"], rollout["check"]["seconds"],
              rollout["bulk_ms_per_campaign"], rollout["loop_ms_per_task"], rollout["speedup"],
              "target >= %.0fx %s" % (rollout["target_speedup"], "asserted" if rollout["speedup_asserted"]
                                      else "not asserted in this run"), rollout["part_seconds"]), flush=True)
    return section


def policy_target_missed(section):
    """The message of a missed asserted target of the retry-policy section, or None."""
    rollout = (section or {}).get("rollout")
    if rollout and rollout.get("speedup_asserted") and rollout["speedup"] < rollout["target_speedup"]:
        return ("TARGET MISSED: a no-change isales_retry_policies task costs %.1f ms per campaign over %d campaigns, "
                "a looped no-change isales_retry_policy task %.0f ms: %.1fx, not >= %.0fx"
                % (rollout["bulk_ms_per_campaign"], rollout["campaigns"], rollout["loop_ms_per_task"],
                   rollout["speedup"], rollout["target_speedup"]))
    return None


def only_retry_policies(args, data, runner, admin, work_dir):
    """--only retry-policies: measure them, then put them into OUT_DIR/benchmarks.json (when there is one:
    its other figures stay) and render OUT_DIR/benchmarks.md again."""
    command = data["command"] + " -- --only retry-policies" + (
        " --campaigns %d" % args.campaigns if args.campaigns else "")
    try:
        section = retry_policies(runner, admin, data, command)
    except CountError as err:
        print("REQUEST COUNT WRONG: %s" % err, file=sys.stderr)
        return 1
    finally:
        admin.latency(0)
        shutil.rmtree(work_dir, ignore_errors=True)
    path = os.path.join(args.out_dir, "benchmarks.json")
    if os.path.exists(path):
        with open(path) as handle:
            data = json.load(handle)
    data["retry_policies"] = section
    with open(path, "w") as handle:
        json.dump(data, handle, indent=1)
    text = render(data) if data.get("overhead") else "\n".join(["# Benchmarks", ""] + render_retry_policies(section))
    with open(os.path.join(args.out_dir, "benchmarks.md"), "w") as handle:
        handle.write(text + "\n")
    print("retry policies done: %s" % os.path.join(args.out_dir, "benchmarks.md"))
    missed = policy_target_missed(section)
    if missed:
        print(missed, file=sys.stderr)
        return 1
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--out-dir", required=True, help="where benchmarks.json and benchmarks.md go")
    parser.add_argument("--smallest", action="store_true", help="the CI smoke run: N=10 only, few iterations")
    parser.add_argument("--sizes", type=int, nargs="+", help="numbers of results (default 10 100 1000 5000)")
    parser.add_argument("--command", default="python3 hacking/run.py -s benchmark", help="shown in the report")
    parser.add_argument("--log", help="where the ansible-playbook output goes (default OUT_DIR/benchmark.log)")
    parser.add_argument("--render-only", action="store_true",
                        help="measure nothing: write OUT_DIR/benchmarks.md again from OUT_DIR/benchmarks.json")
    parser.add_argument("--only", choices=["retry-policies"],
                        help="measure only this part, and add it to OUT_DIR/benchmarks.json (when there is one)")
    parser.add_argument("--campaigns", type=int, help="campaigns of the retry-policy measurements "
                        "(default 150; 10 with --smallest); the rollout's per-campaign speedup is asserted "
                        "unless --smallest")
    args = parser.parse_args(argv)
    if args.render_only:
        with open(os.path.join(args.out_dir, "benchmarks.json")) as handle:
            data = json.load(handle)
        with open(os.path.join(args.out_dir, "benchmarks.md"), "w") as handle:
            handle.write(render(data) + "\n")
        return 0
    plan = dict(SMALLEST if args.smallest else FULL)
    if args.sizes:
        plan["sizes"] = args.sizes
    if args.campaigns:
        plan["campaigns"] = args.campaigns
    for name in ("ISALES_URL", "ISALES_ACCESS_KEY", "ISALES_SECRET_KEY", "ISALES_CA_PATH", "ISALES_SIM_ADMIN"):
        if not os.environ.get(name):
            parser.error("$%s is not set: run this through nox -s benchmark" % name)
    os.makedirs(args.out_dir, exist_ok=True)
    work_dir = tempfile.mkdtemp(prefix="isales-bench-")
    log = args.log or os.path.join(args.out_dir, "benchmark.log")
    open(log, "w").close()
    admin = Admin(os.environ["ISALES_SIM_ADMIN"], os.environ["ISALES_CA_PATH"])
    runner = Runner(work_dir, log)
    data = {"command": args.command + (" --smallest" if args.smallest else ""),
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "platform": platform.platform(terse=True), "python": platform.python_version(),
            "cpus": os.cpu_count() or 0, "ansible": ansible_version(), "plan": plan, "repeats": plan["repeats"],
            "rows": [], "load_before": list(os.getloadavg())}
    if args.only:
        return only_retry_policies(args, data, runner, admin, work_dir)
    started = time.monotonic()
    try:
        print("per-task overhead: %d rounds of %d items each ..." % (plan["rounds"], plan["iterations"]), flush=True)
        data["overhead"] = measure_overhead(runner, admin, plan["iterations"], plan["rounds"])
        print("  isales_ob_result %.0f ms/item, uri %.0f ms/item: ratio %.2f (CPU: %.0f vs %.0f ms/item)" % (
            data["overhead"]["module_ms_per_item"], data["overhead"]["uri_ms_per_item"], data["overhead"]["ratio"],
            data["overhead"]["module_cpu_ms_per_item"], data["overhead"]["uri_cpu_ms_per_item"]), flush=True)
        data["breakdown"] = breakdown()
        for latency in plan["latencies"]:
            for n in plan["sizes"]:
                loop_items = plan["loop_items_large"] if n >= 5000 else plan["loop_items"]
                print("latency %g ms, %d results ..." % (latency, n), flush=True)
                row = measure_size(runner, admin, n, latency, loop_items, plan["repeats"])
                data["rows"].append(row)
                print("  bulk no-change %.2f s (%d requests), loop %.0f ms/result (%.1f requests/result), "
                      "%.0fx per result; create %.1f s: %d creates + %d listing = %d requests" % (
                          row["bulk"]["seconds"], row["bulk"]["requests"], row["loop"]["per_result_ms"],
                          row["loop"]["requests_per_result"], row["speedup_per_result"], row["create"]["seconds"],
                          row["create"]["creates"], row["create"]["lists"], row["create"]["requests"]), flush=True)
        if not args.smallest and 1000 in plan["sizes"]:
            data["workers"] = []
            for workers in (16, 32):
                print("bulk no-change on 1000 with max_workers %d, 20 ms ..." % workers, flush=True)
                data["workers"].append(measure_workers(runner, admin, 1000, 20, workers))
                print("  %.2f s" % data["workers"][-1]["seconds"], flush=True)
            print("bulk create of 1000 with write_workers 8, 20 ms ...", flush=True)
            data["parallel_create"] = [measure_parallel_create(runner, admin, 1000, 20, 8)]
            print("  %.1f s" % data["parallel_create"][-1]["seconds"], flush=True)
        data["retry_policies"] = retry_policies(runner, admin, data)
    except CountError as err:
        print("REQUEST COUNT WRONG: %s" % err, file=sys.stderr)
        return 1
    finally:
        admin.latency(0)
        shutil.rmtree(work_dir, ignore_errors=True)
    data["seconds"] = time.monotonic() - started
    data["load_after"] = list(os.getloadavg())
    with open(os.path.join(args.out_dir, "benchmarks.json"), "w") as handle:
        json.dump(data, handle, indent=1)
    with open(os.path.join(args.out_dir, "benchmarks.md"), "w") as handle:
        handle.write(render(data) + "\n")
    print("benchmark done in %.0f s: %s" % (data["seconds"], os.path.join(args.out_dir, "benchmarks.md")))
    missed = policy_target_missed(data.get("retry_policies"))
    if missed:
        print(missed, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
