# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a module's main() in-process, across ansible-core 2.16 ... 2.19."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import json

import pytest

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

try:  # ansible-core 2.19 and later
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core 2.16 ... 2.18
    patch_module_args = None


class ModuleExit(Exception):
    def __init__(self, result, failed):
        super(ModuleExit, self).__init__(result)
        self.result = result
        self.failed = failed


@contextlib.contextmanager
def module_args(args):
    if patch_module_args is not None:
        with patch_module_args(args):
            yield
        return
    previous = basic._ANSIBLE_ARGS
    basic._ANSIBLE_ARGS = to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
    try:
        yield
    finally:
        basic._ANSIBLE_ARGS = previous


@pytest.fixture(autouse=True)
def _never_sleep(no_sleep):
    """The modules run their real clients here: backoff and settling never sleep."""
    return no_sleep


@pytest.fixture
def run_module(monkeypatch):
    """run_module(main, args) -> (result dict, failed bool); module.warn() messages in result["warnings"]."""

    warnings = []

    def warn(self, warning):
        warnings.append(warning)

    def finish(kwargs):
        if warnings:
            kwargs["warnings"] = list(warnings)
        del warnings[:]
        return kwargs

    def exit_json(self, **kwargs):
        kwargs.setdefault("changed", False)
        raise ModuleExit(finish(kwargs), False)

    def fail_json(self, msg, **kwargs):
        kwargs["msg"] = msg
        kwargs["failed"] = True
        raise ModuleExit(finish(kwargs), True)

    monkeypatch.setattr(basic.AnsibleModule, "warn", warn)
    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)
    for name in ("ISALES_URL", "ISALES_ACCESS_KEY", "ISALES_SECRET_KEY", "ISALES_CA_PATH", "ISALES_VALIDATE_CERTS",
                 "ISALES_TIMEOUT", "ISALES_RETRIES", "ISALES_SIGNED_HEADERS"):
        monkeypatch.delenv(name, raising=False)

    def runner(main, args):
        with module_args(args):
            with pytest.raises(ModuleExit) as info:
                main()
        return info.value.result, info.value.failed

    return runner
