# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A write that may still be in flight (timeout, 504) is given time to land; a create is never sent again.

Found by the fault matrix (docs/fault-matrix.md): with a server slower than the client's timeout,
the create was sent again while the first one was still being processed, and the VDN ended with
two identical results. Waiting (two reads `timeout` apart) fixed the common case; a create that
lands later still than that was sent twice, so now a create whose outcome stays unknown is not
sent again at all: the task fails and says so, and a re-run converges.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import requests
import responses

from ansible_collections.huawei.isales.plugins.module_utils._client import IsalesClient
from ansible_collections.huawei.isales.plugins.module_utils._errors import IsalesError
from ansible_collections.huawei.isales.plugins.module_utils._ob_result import SETTLE_READS, ObResultManager

BASE = "https://isales.example.com:28443"
API = BASE + "/rest/isales/v1/openapi/campaigns/12/"
OK = {"returnCode": "0200000", "resultCode": "0200000", "returnDesc": "ok", "resultDesc": "ok"}
TIMEOUT = 7


def ok(**extra):
    body = dict(OK)
    body.update(extra)
    return body


def listing(*items):
    return ok(totalCount=len(items), data=[{"defId": d, "displayResult": t, "resultCode": ""} for d, t in items])


DETAIL = ok(obResult={"defId": "77", "displayResult": "No answer", "vdnId": 12, "resultCode": "",
                      "resultMapList": [{"mapId": "1", "defId": "77", "failCode": "00602", "vdnId": 12}]})
DESIRED = {"display_result": "No answer", "obs_codes": ["00602"], "result_code": None}


@pytest.fixture
def manager(sleeps):
    client = IsalesClient(BASE, "ak", "sk", timeout=TIMEOUT, retries=1, sleep=sleeps)
    return ObResultManager(client, 12)


def creates(api):
    return [call for call in api.calls if call.request.method == "POST"]


def test_a_timed_out_create_that_lands_late_is_not_sent_again(api, manager, sleeps):
    api.add(responses.GET, API + "queryOBSResults", json=listing())
    api.add(responses.POST, API + "createObResult", body=requests.exceptions.ReadTimeout("read timed out"))
    api.add(responses.GET, API + "queryOBSResults", json=listing())               # right away: not there yet
    api.add(responses.GET, API + "queryOBSResults", json=listing())               # timeout s later: still not
    api.add(responses.GET, API + "queryOBSResults", json=listing(("77", "No answer")))   # then it landed
    api.add(responses.GET, API + "77/queryObsResultDetail", json=DETAIL)
    outcome = manager.ensure(DESIRED, "present")
    assert outcome["changed"] and outcome["def_id"] == "77"
    assert len(creates(api)) == 1
    assert sleeps == [TIMEOUT, TIMEOUT]


@pytest.mark.parametrize("failure", [
    dict(body=requests.exceptions.ReadTimeout("read timed out")),
    dict(status=504, body="<html>504 Gateway Time-out</html>"),
])
def test_a_create_that_may_still_land_is_never_sent_again(api, manager, sleeps, failure):
    api.add(responses.GET, API + "queryOBSResults", json=listing())
    api.add(responses.POST, API + "createObResult", **failure)
    for _read in range(1 + SETTLE_READS):
        api.add(responses.GET, API + "queryOBSResults", json=listing())
    with pytest.raises(IsalesError) as info:
        manager.ensure(DESIRED, "present")
    msg = info.value.msg
    for words in ("outcome unknown", "may still land", "run again", "not sent again"):
        assert words in msg
    assert info.value.call.endswith("createObResult")
    assert len(creates(api)) == 1
    assert sleeps == [TIMEOUT] * SETTLE_READS


def test_a_timed_out_update_that_never_lands_is_sent_again_after_waiting(api, manager, sleeps):
    stale = ok(obResult={"defId": "77", "displayResult": "No answer", "resultCode": "",
                         "resultMapList": [{"failCode": "00601"}]})
    api.add(responses.GET, API + "queryOBSResults", json=listing(("77", "No answer")))
    api.add(responses.GET, API + "77/queryObsResultDetail", json=stale)
    api.add(responses.POST, API + "updateObResult", body=requests.exceptions.ReadTimeout("read timed out"))
    for _read in range(1 + SETTLE_READS):
        api.add(responses.GET, API + "queryOBSResults", json=listing(("77", "No answer")))
        api.add(responses.GET, API + "77/queryObsResultDetail", json=stale)
    api.add(responses.POST, API + "updateObResult", json=ok())
    outcome = manager.ensure(DESIRED, "present")
    assert outcome["changed"] and outcome["after"]["obs_codes"] == ["00602"]
    updates = [call for call in api.calls if call.request.url.endswith("updateObResult")]
    assert len(updates) == 2, "an update is safe to repeat"
    assert sleeps[:SETTLE_READS] == [TIMEOUT] * SETTLE_READS and len(sleeps) == SETTLE_READS + 1


def test_a_504_on_a_write_counts_as_in_flight(api, manager, sleeps):
    api.add(responses.GET, API + "queryOBSResults", json=listing())
    api.add(responses.POST, API + "createObResult", status=504, body="<html>504 Gateway Time-out</html>")
    api.add(responses.GET, API + "queryOBSResults", json=listing())
    api.add(responses.GET, API + "queryOBSResults", json=listing(("77", "No answer")))
    api.add(responses.GET, API + "77/queryObsResultDetail", json=DETAIL)
    outcome = manager.ensure(DESIRED, "present")
    assert outcome["changed"] and len(creates(api)) == 1 and sleeps == [TIMEOUT]


def test_a_503_is_not_waited_for(api, manager, sleeps):
    api.add(responses.GET, API + "queryOBSResults", json=listing())
    api.add(responses.POST, API + "createObResult", status=503, body="busy")
    api.add(responses.GET, API + "queryOBSResults", json=listing())
    api.add(responses.POST, API + "createObResult", json=ok(defId="78"))
    outcome = manager.ensure(DESIRED, "present")
    assert outcome["def_id"] == "78" and len(creates(api)) == 2
    assert len(sleeps) == 1 and sleeps[0] < TIMEOUT   # one backoff pause, no settling


def test_one_try_is_said_in_the_singular(api, sleeps):
    manager = ObResultManager(IsalesClient(BASE, "ak", "sk", retries=0, sleep=sleeps), 12)
    api.add(responses.GET, API + "queryOBSResults", json=listing())
    api.add(responses.POST, API + "createObResult", status=503, body="busy")
    api.add(responses.GET, API + "queryOBSResults", json=listing())
    with pytest.raises(IsalesError) as info:
        manager.ensure(DESIRED, "present")
    assert "failed after 1 try;" in info.value.msg and info.value.attempts == 1


@pytest.mark.parametrize("kind,status,sent,in_flight", [
    ("timeout", None, None, True),       # no answer within the timeout: may still be working
    ("timeout", None, False, False),     # the connection was never made
    ("http", 504, True, True),           # a gateway stopped waiting
    ("http", 503, True, False),
    ("http", 502, True, False),
    ("connection", None, None, False),
    ("parse", 200, True, False),
])
def test_in_flight(kind, status, sent, in_flight):
    assert IsalesError("x", kind, status=status, sent=sent).in_flight is in_flight
