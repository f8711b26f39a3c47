# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures shared by every unit test: HTTP mocked at the requests seam, and clients that do not sleep."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import responses

from ansible_collections.huawei.isales.plugins.module_utils import _client
from ansible_collections.huawei.isales.tests.unit.plugins.modules.isales_fake import FakeIsales


class Sleeps(list):
    """The seconds a client asked to sleep, in order; it never sleeps."""

    def __call__(self, seconds, stop=None):
        self.append(seconds)


@pytest.fixture
def sleeps():
    """A sleep function to give a client (sleep=sleeps) that records instead of sleeping."""
    return Sleeps()


@pytest.fixture
def no_sleep(monkeypatch):
    """Every client's default sleep (backoff, settling) records instead of sleeping; returns the record."""
    record = Sleeps()
    monkeypatch.setattr(_client, "_sleep", record)
    return record


@pytest.fixture
def mocked():
    """The requests seam, mocked; requests with no registered answer fail."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture
def api():
    """Like mocked, and every registered answer must be used."""
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


@pytest.fixture
def fake(request):
    """The CC-iSales simulator in-process (isales_fake.FakeIsales) behind the requests seam; it checks the
    signatures when the test module has a SECRET (the secret_key its requests are signed with)."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield FakeIsales(rsps, secret_key=getattr(request.module, "SECRET", None))
