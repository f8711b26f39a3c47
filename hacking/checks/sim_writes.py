"""Check the simulator's request log for writes that changed nothing.

Reads GET $ISALES_SIM_ADMIN/requests (trusting $ISALES_CA_PATH) and replays
every successful API write -- create, update, delete -- against the state the
earlier writes in the log built up. A write is *redundant* when it changes
nothing: creating a result code that already exists, updating a result to
the text and OBS codes it already has, or deleting one that is already gone.
An idempotent module never sends one, whatever the playbook does, so this
checks "running it again wrote nothing" without knowing the playbook.

Prints one line per write and exits 1 if any write was redundant, 2 if the
log could not be read or shows no write at all (the demo did nothing).

usage: python hacking/checks/sim_writes.py [--since SEQ]  (nox -s demo runs it)
"""

from __future__ import annotations

import argparse
import json
import os
import ssl
import sys
import urllib.request

WRITE_CALLS = ("ob_result.create", "ob_result.update", "ob_result.delete")
SUCCESS = "0200000"


def fetch_requests(since):
    admin = os.environ["ISALES_SIM_ADMIN"]
    context = ssl.create_default_context(cafile=os.environ["ISALES_CA_PATH"])
    url = "%s/requests?since=%d" % (admin, since)
    with urllib.request.urlopen(url, context=context, timeout=10) as resp:
        return json.load(resp)["requests"]


def _body(record):
    try:
        body = json.loads(record.get("body") or "{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _content(body):
    """What an update can change: the display text and the set of OBS codes."""
    return body.get("displayResult"), sorted(body.get("obsCodes") or [])


def find_redundant(records):
    """Yield (record, verdict) for every successful write; verdict is None if it changed something."""
    existing = {}  # defId -> (vdn, resultCode, content) of the results that exist
    deleted = set()
    for record in records:
        if record.get("call") not in WRITE_CALLS or record.get("returnCode") != SUCCESS:
            continue
        body = _body(record)
        # An update names its result in the body, not in the path.
        vdn, def_id = record.get("vdn_id"), record.get("def_id") or body.get("defId")
        verdict = None
        if record["call"] == "ob_result.create":
            code = body.get("resultCode")
            if code and (vdn, code) in {known[:2] for known in existing.values()}:
                verdict = "created result code %s again" % code
            existing[def_id] = (vdn, code, _content(body))
        elif record["call"] == "ob_result.update":
            # A result created before the log began is unknown, not redundant.
            known = existing.get(def_id)
            if known is not None:
                if known[2] == _content(body):
                    verdict = "updated defId %s to what it already was" % def_id
                existing[def_id] = (known[0], known[1], _content(body))
        else:
            if def_id in deleted:
                verdict = "deleted defId %s again" % def_id
            existing.pop(def_id, None)
            deleted.add(def_id)
        yield record, verdict


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--since", type=int, default=0, help="only requests after this sequence number")
    args = parser.parse_args()
    try:
        records = fetch_requests(args.since)
    except Exception as exc:  # pylint: disable=broad-except
        print("cannot read the simulator's request log: %s" % exc, file=sys.stderr)
        return 2
    writes = redundant = 0
    for record, verdict in find_redundant(records):
        writes += 1
        redundant += verdict is not None
        note = "REDUNDANT: " + verdict if verdict else "ok"
        print("  %-6s %-60s %s" % (record.get("method"), record.get("path"), note))
    reads = sum(1 for r in records if r.get("call") not in WRITE_CALLS)
    print("%d API requests: %d writes (%d redundant), %d other" % (len(records), writes, redundant, reads))
    if writes == 0:
        print("no write at all: the demo did not change anything", file=sys.stderr)
        return 2
    return 1 if redundant else 0


if __name__ == "__main__":
    sys.exit(main())
