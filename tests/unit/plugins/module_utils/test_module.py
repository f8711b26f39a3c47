# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IsalesModule: the options, the checks before any request, the clients' lifecycle, the one failure funnel."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import time

import pytest
import responses

from ansible_collections.huawei.isales.plugins.module_utils import _api_ob_results as api
from ansible_collections.huawei.isales.plugins.module_utils import _client, _module
from ansible_collections.huawei.isales.plugins.module_utils._errors import IsalesError, ResourceError
from ansible_collections.huawei.isales.plugins.module_utils._common import CONNECTION_ARGUMENT_SPEC
from ansible_collections.huawei.isales.plugins.module_utils._module import IsalesModule
from ansible_collections.huawei.isales.tests.unit.plugins.modules.conftest import ModuleExit, module_args

BASE = "https://isales.example.com:28443"
LIST = BASE + "/rest/isales/v1/openapi/campaigns/12/queryOBSResults"
SECRET = "unit-secret-module-base-77"
OK_LIST = {"returnCode": "0200000", "totalCount": 0, "data": []}


@pytest.fixture
def exits(monkeypatch):
    """Run IsalesModule(...).run(work) in-process; (result, failed, the module)."""
    monkeypatch.setattr(_module.IsalesModule, "exit_json", lambda self, **kw: _raise(kw, False))
    monkeypatch.setattr(_module.IsalesModule, "fail_json", lambda self, **kw: _raise(dict(kw, failed=True), True))
    made = []

    def runner(work, options=None, validate=None, workers=False, **args):
        params = dict(url=BASE, access_key="ak", secret_key=SECRET, vdn_id=12)
        params.update(args)
        with module_args(params):
            module = IsalesModule(options or {}, validate=validate, workers=workers)
            made.append(module)
            with pytest.raises(ModuleExit) as info:
                module.run(work)
        assert SECRET not in json.dumps(info.value.result)
        return info.value.result, info.value.failed, module
    return runner


def _raise(result, failed):
    raise ModuleExit(result, failed)


def test_the_shared_options_are_in_every_spec():
    module_spec = _module.argument_spec({"x": dict(type="int")}, workers=True)
    assert set(CONNECTION_ARGUMENT_SPEC) | {"vdn_id", "max_workers", "x"} == set(module_spec)
    assert "max_workers" not in _module.argument_spec({})


def test_a_result_gets_changed_and_api_requests(exits, mocked):
    mocked.add(responses.GET, LIST, json=OK_LIST)
    result, failed, _module_ = exits(lambda module: dict(listed=api.list_results(module.client(), 12)))
    assert not failed and result == {"listed": [], "changed": False, "api_requests": 1}


def test_problems_fail_before_any_client_is_made(exits, mocked):
    made = []

    def work(module):
        made.append(module.client())
        return {}
    result, failed, _mod = exits(work, validate=lambda params: ["x must be even"], vdn_id=0, timeout=0,
                                 workers=True, max_workers=99)
    assert failed and not made and not mocked.calls
    for part in ("x must be even", "vdn_id must be an integer", "timeout must be at least 1", "max_workers must be from 1 to 32"):
        assert part in result["msg"]


def test_an_isales_error_becomes_a_structured_failure_and_the_clients_are_closed(exits, mocked):
    mocked.add(responses.GET, LIST, status=401, json={"returnCode": "401", "returnDesc": "signature mismatch"})
    closed = []

    def work(module):
        client = module.client()
        client.session.close = lambda: closed.append(client)
        api.list_results(client, 12)
    result, failed, _mod = exits(work)
    assert failed and closed, "closed in any case"
    assert result["error_kind"] == "auth" and result["status"] == 401 and result["call"].startswith("GET ")
    assert result["returnCode"] == "401" and result["changed"] is False and result["api_requests"] == 1


def test_what_was_done_before_a_failure_is_reported(exits):
    def work(module):
        err = ResourceError("refused", defIds=["1"])
        err.partial = dict(changed=True, created=[{"defId": "9"}])
        raise err
    result, failed, _mod = exits(work)
    assert failed and result["changed"] is True and result["created"] == [{"defId": "9"}]
    assert result["msg"] == "refused" and result["defIds"] == ["1"]


def test_the_pool_is_closed_whatever_happens(exits):
    pools = []

    def work(module):
        pools.append(module.pool())
        raise IsalesError("boom", "api", call="GET x")
    result, failed, _mod = exits(work, workers=True, max_workers=4)
    assert failed and result["msg"] == "boom"
    assert pools[0]._executor is None, "the pool's threads were stopped"


def test_an_unforeseen_error_fails_in_one_line_without_a_traceback_and_closes_the_clients(exits):
    closed = []

    def work(module):
        client = module.client()
        client.session.close = lambda: closed.append(client)
        return {}["defId"]
    result, failed, _mod = exits(work)
    assert failed and closed and result["error_kind"] == "internal" and result["changed"] is False
    assert result["msg"].startswith("internal error in the huawei.isales collection (KeyError at test_module.py:")
    assert "'defId'" in result["msg"] and "Traceback" not in json.dumps(result) and "exception" not in result


def test_settings_that_expose_signed_requests_are_warned_about(exits, mocked, monkeypatch):
    warned = []
    monkeypatch.setattr(_module.IsalesModule, "warn", lambda self, text: warned.append(text))
    result, failed, _mod = exits(lambda module: {}, validate_certs=False)
    assert not failed and len(warned) == 1 and "replay" in warned[0]


def test_a_missing_requests_library_is_said_clearly(exits, monkeypatch):
    monkeypatch.setattr(_module, "REQUESTS_IMPORT_ERROR", "Traceback: no module named requests")
    result, failed, _mod = exits(lambda module: {})
    assert failed and "requests" in result["msg"]


def test_no_sleep_really_stops_the_clients_sleeping(mocked, no_sleep):
    """A retried read backs off (0.25 s or more at the first retry) but, in tests, returns at once."""
    mocked.add(responses.GET, LIST, status=503, body="busy")
    mocked.add(responses.GET, LIST, json=OK_LIST)
    client = _client.IsalesClient(BASE, "ak", SECRET, retries=3)   # its default sleep, made before the test sleeps
    started = time.monotonic()
    assert api.list_results(client, 12) == []
    assert time.monotonic() - started < 0.2
    assert len(no_sleep) == 1 and no_sleep[0] >= 0.25, "the backoff was asked for, and not slept"


def test_a_nul_character_is_refused_naming_the_option_and_never_logged(exits, monkeypatch):
    logged = []
    monkeypatch.setattr(_module.AnsibleModule, "_log_invocation", lambda self: logged.append(True))
    result, failed, _mod = exits(lambda module: {}, access_key="a\x00k")
    assert failed and "access_key must not contain a NUL character" in result["msg"]
    assert not logged, "syslog refuses NUL characters (ansible-core 2.20+ would fail naming no option)"


def test_options_with_nul_finds_them_anywhere():
    params = {"a": "x\x00", "b": ["ok", "n\x00"], "config": [{"display_result": "ok"}, {"obs_codes": ["\x00"]}],
              "c": 3, "d": None}
    assert sorted(_module.options_with_nul(params)) == ["a", "b[1]", "config[1].obs_codes[0]"]
    assert _module.options_with_nul({"config": [{"display_result": "d\x00"}]}) == ["config[0].display_result"]
