# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""isales_ob_result's validate_obs_codes option."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.huawei.isales.plugins.modules import isales_ob_result
from ansible_collections.huawei.isales.tests.unit.plugins.modules.isales_fake import BASE

VDN = 31


@pytest.fixture
def run(run_module):
    def runner(**extra):
        args = dict(url=BASE, access_key="ak", secret_key="unit-secret", vdn_id=VDN, display_result="Busy",
                    obs_codes=["00601", "09999", "08888"], result_code="003")
        args.update(extra)
        return run_module(isales_ob_result.main, args)
    return runner


def test_unknown_codes_are_named_and_nothing_is_written(fake, run):
    result, failed = run(validate_obs_codes=True)
    assert failed and "08888, 09999" in result["msg"] and "catalogue of VDN %d" % VDN in result["msg"]
    assert result["unknown_obs_codes"] == ["08888", "09999"]
    assert fake.count("obs_code.list") == 2 and not fake.writes() and fake.count("ob_result.list") == 0


def test_known_codes_pass(fake, run):
    result, failed = run(validate_obs_codes=True, obs_codes=["00601", "00660"])
    assert not failed and result["changed"] and fake.count("ob_result.create") == 1


def test_off_by_default_costs_no_read(fake, run):
    result, failed = run(obs_codes=["00601"])
    assert not failed and fake.count("obs_code.list") == 0


def test_not_used_when_deleting(fake, run):
    fake.seed(VDN, ("Busy", "003", ["00601"]))
    result, failed = run(validate_obs_codes=True, state="absent", obs_codes=None)
    assert not failed and result["changed"] and fake.count("obs_code.list") == 0
