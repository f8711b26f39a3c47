# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Arguments no module may send, refused through the modules' entry points before any request.

Checked on the arguments as passed (before ansible-core converts true to 1 and 7 to "7"), and,
for a URL with a password, on the module's whole JSON output (its invocation included).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.huawei.isales.plugins.modules import (
    isales_ob_result,
    isales_ob_result_info,
    isales_ob_results,
    isales_obs_code_info,
    isales_server_info,
)
from ansible_collections.huawei.isales.tests.unit.plugins.modules.conftest import module_args
from ansible_collections.huawei.isales.tests.unit.plugins.modules.isales_fake import BASE

SECRET = "unit-secret-hostile-args-0123"
VDN = 12
URL_PASSWORD = "urlpw-n3ver-shown"

# Each module's entry point with the smallest arguments it runs with.
MODULES = {
    "isales_ob_result": (isales_ob_result.main, dict(display_result="Busy", obs_codes=["00602"])),
    "isales_ob_result_info": (isales_ob_result_info.main, dict()),
    "isales_ob_results": (isales_ob_results.main, dict(config=[dict(display_result="Busy", obs_codes=["00602"])],
                                                       max_workers=1)),
    "isales_obs_code_info": (isales_obs_code_info.main, dict(obs_codes=["00602"])),
    "isales_server_info": (isales_server_info.main, dict()),
}


def arguments(name, **changes):
    main, own = MODULES[name]
    args = dict(url=BASE, access_key="ak", secret_key=SECRET, vdn_id=VDN)
    args.update(own)
    args.update(changes)
    return main, args


@pytest.fixture
def run(run_module, fake):
    """run(name, **changes) -> (result, failed, requests the fake server received)."""
    def runner(name, **changes):
        main, args = arguments(name, **changes)
        result, failed = run_module(main, args)
        assert SECRET not in json.dumps(result)
        return result, failed, fake.calls
    return runner


@pytest.fixture
def run_output(monkeypatch, capsys, mocked):
    """run_output(main, args) -> (the module's whole JSON output as text, the requests it tried): the real
    exit_json / fail_json, with ansible-core's own invocation and no_log masking."""
    for name in ("ISALES_URL", "ISALES_ACCESS_KEY", "ISALES_SECRET_KEY", "ISALES_CA_PATH", "ISALES_VALIDATE_CERTS",
                 "ISALES_TIMEOUT", "ISALES_RETRIES", "ISALES_SIGNED_HEADERS"):
        monkeypatch.delenv(name, raising=False)

    def runner(main, args):
        capsys.readouterr()
        with module_args(args):
            with pytest.raises(SystemExit):
                main()
        out = capsys.readouterr().out
        json.loads(out)  # one JSON document
        return out, list(mocked.calls)
    return runner


# -- every module runs with its smallest arguments (what makes the refusals below mean something) --


@pytest.mark.parametrize("name", sorted(MODULES))
def test_each_module_runs_with_its_smallest_arguments(run, name):
    result, failed, calls = run(name)
    assert not failed, result["msg"]
    assert calls


# -- vdn_id and other integers: a boolean is not an integer ----------------------------------------


@pytest.mark.parametrize("name", sorted(MODULES))
@pytest.mark.parametrize("value", [True, False])
def test_a_boolean_vdn_id_is_refused_naming_it(run, name, value):
    result, failed, calls = run(name, vdn_id=value)
    assert failed and "vdn_id" in result["msg"] and "boolean" in result["msg"]
    assert calls == []


@pytest.mark.parametrize("name, option", [
    ("isales_ob_result", "timeout"), ("isales_ob_result", "retries"), ("isales_ob_results", "max_workers"),
    ("isales_ob_results", "write_workers"), ("isales_ob_result_info", "timeout"),
])
def test_a_boolean_for_another_integer_option_is_refused_naming_it(run, name, option):
    result, failed, calls = run(name, **{option: True})
    assert failed and "%s must be an integer, not a boolean" % option in result["msg"]
    assert calls == []


# -- lists of strings: an element that is not a string ---------------------------------------------


@pytest.mark.parametrize("name", ["isales_ob_result", "isales_obs_code_info"])
@pytest.mark.parametrize("codes, named", [
    (["00602", 7], "obs_codes[1]"),
    ([602], "obs_codes[0]"),
    (["00602", 6.5], "obs_codes[1]"),
    (["00602", True], "obs_codes[1]"),
])
def test_an_obs_code_that_is_not_a_string_is_refused_naming_it(run, name, codes, named):
    result, failed, calls = run(name, obs_codes=codes)
    assert failed and named in result["msg"]
    assert calls == []


def test_every_obs_code_that_is_not_a_string_is_named(run):
    result, failed, calls = run("isales_ob_result", obs_codes=[7, "00602", 8])
    assert failed and "obs_codes[0]" in result["msg"] and "obs_codes[2]" in result["msg"]
    assert "obs_codes[1]" not in result["msg"] and calls == []


@pytest.mark.parametrize("config, named", [
    ([dict(display_result="Busy", obs_codes=[7])], "config[0].obs_codes[0]"),
    ([dict(display_result="Busy", obs_codes=["00602"]), dict(display_result="Idle", obs_codes=["00603", 603])],
     "config[1].obs_codes[1]"),
])
def test_a_config_obs_code_that_is_not_a_string_is_refused_naming_it(run, config, named):
    result, failed, calls = run("isales_ob_results", config=config)
    assert failed and named in result["msg"]
    assert calls == []


# -- display_result: U+2028 and U+2029 are line breaks ---------------------------------------------


@pytest.mark.parametrize("char", [u"\u2028", u"\u2029", u"\n", u"\r", u"\x85"])
@pytest.mark.parametrize("name", ["isales_ob_result", "isales_ob_results", "isales_ob_result_info"])
def test_a_line_break_in_display_result_is_refused(run, name, char):
    text = u"Busy%sline" % char
    if name == "isales_ob_results":
        result, failed, calls = run(name, config=[dict(display_result=text, obs_codes=["00602"])])
    else:
        result, failed, calls = run(name, display_result=text)
    assert failed and "display_result" in result["msg"]
    assert "U+%04X" % ord(char) in result["msg"]
    assert calls == []


# -- access_key --------------------------------------------------------------------------------------


@pytest.mark.parametrize("access_key", ["ak\n", "a\nk", "a/k", "a k", "ak\t"])
@pytest.mark.parametrize("name", ["isales_ob_result", "isales_server_info"])
def test_an_access_key_that_cannot_go_into_the_header_is_refused_naming_it(run, name, access_key):
    result, failed, calls = run(name, access_key=access_key)
    assert failed and "access_key" in result["msg"]
    assert calls == []


# -- a URL with a password ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(MODULES))
def test_a_url_with_credentials_is_refused_and_its_password_is_nowhere_in_the_output(run_output, name):
    main, args = arguments(name, url="https://user:pw@host:1/?x=1")
    out, calls = run_output(main, args)
    result = json.loads(out)
    assert result["failed"] and "url must not carry credentials" in result["msg"]
    assert "pw" not in out
    assert calls == []


@pytest.mark.parametrize("url", [
    "https://user:%s@isales.example.com:28443" % URL_PASSWORD,
    "https://user:%s@isales.example.com:28443/?x=1#f" % URL_PASSWORD,
    "https://:%s@isales.example.com:99999" % URL_PASSWORD,
])
def test_a_url_password_is_nowhere_in_the_output(run_output, url):
    main, args = arguments("isales_ob_result", url=url)
    out, calls = run_output(main, args)
    result = json.loads(out)
    assert result["failed"] and "url" in result["msg"]
    assert URL_PASSWORD not in out
    assert calls == []


@pytest.mark.parametrize("other", [
    dict(vdn_id="not a number"),
    dict(no_such_option=1),
    dict(state="sideways"),
])
def test_a_url_password_is_nowhere_in_the_output_when_another_argument_is_refused_first(run_output, other):
    """ansible-core refuses these while it builds the module, before the module's own checks: the output
    (its invocation) must still not show the URL's password."""
    main, args = arguments("isales_ob_result", url="https://user:%s@isales.example.com:28443" % URL_PASSWORD,
                           **other)
    out, calls = run_output(main, args)
    assert json.loads(out)["failed"]
    assert URL_PASSWORD not in out
    assert calls == []


@pytest.mark.parametrize("url", [
    "https://user:urlpw n3ver-shown@isales.example.com:28443",   # a space in the password
    "https://user:urlpw-n3ver-shown\t@isales.example.com:28443",  # a tab, which URL parsing drops
    "https:/user:urlpw-n3ver-shown@isales.example.com:28443",     # one slash
    "https:user:urlpw-n3ver-shown@isales.example.com:28443",      # none
])
def test_a_malformed_url_with_a_password_is_refused_and_not_shown(run_output, url):
    main, args = arguments("isales_ob_result", url=url)
    out, calls = run_output(main, args)
    result = json.loads(out)
    assert result["failed"] and "url" in result["msg"], result["msg"]
    assert "n3ver-shown" not in out
    assert calls == [], "a request was tried with %r" % url
