# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Paging that a lying or hostile server cannot fool: a short page ends a list, totalCount is a hint,
repeated items and endless lists are refused, every item is checked before it is used."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
import threading
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses

from ansible_collections.huawei.isales.plugins.module_utils import _api_ob_results as api
from ansible_collections.huawei.isales.plugins.module_utils import _paging
from ansible_collections.huawei.isales.plugins.module_utils._client import IsalesClient
from ansible_collections.huawei.isales.plugins.module_utils._errors import IsalesError
from ansible_collections.huawei.isales.plugins.module_utils._workers import ClientPool

BASE = "https://isales.example.com:28443"
LIST = re.compile(re.escape(BASE + "/rest/isales/v1/openapi/campaigns/12/queryOBSResults") + r"(\?.*)?$")


def results(count, start=1645244637):
    return [{"defId": str(start + i), "displayResult": "R%d" % i, "resultCode": ""} for i in range(count)]


class Server(object):
    """A list server: its items, the page size it really uses, the totalCount it claims."""

    def __init__(self, rsps, items, page_cap=50, total=None, ignore_page=False):
        self.items = items
        self.page_cap = page_cap
        self.total = total
        self.ignore_page = ignore_page
        self.pages = []
        self.lock = threading.Lock()
        rsps.add_callback(responses.GET, LIST, callback=self.answer)

    def answer(self, request):
        query = dict(parse_qsl(urlsplit(request.url).query))
        number = 1 if self.ignore_page else int(query["pageNum"])
        size = min(int(query["pageSize"]), self.page_cap)
        items = self.items() if callable(self.items) else self.items
        with self.lock:
            self.pages.append(int(query["pageNum"]))
        body = {"returnCode": "0200000", "returnDesc": "ok", "data": items[(number - 1) * size:number * size],
                "totalCount": len(items) if self.total is None else self.total}
        return 200, {}, json.dumps(body)


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def client(**kwargs):
    settings = dict(url=BASE, access_key="ak", secret_key="sk", sleep=lambda s: None)
    settings.update(kwargs)
    return IsalesClient(**settings)


def pool(size=8):
    return ClientPool(client, size)


def pooled_list(workers):
    """VDN 12's results, read through the pool (pages after the first concurrently)."""
    return api.list_results(workers.client(), 12, workers)


@pytest.mark.parametrize("count,requests", [(0, 1), (3, 1), (49, 1), (50, 2), (100, 3), (201, 5)])
def test_pages_until_a_short_page(rsps, count, requests):
    server = Server(rsps, results(count))
    assert api.list_results(client(), 12) == results(count)
    assert len(server.pages) == requests


def test_pages_are_read_concurrently_within_the_hint(rsps):
    server = Server(rsps, results(201))
    workers = pool(4)
    assert pooled_list(workers) == results(201)
    assert sorted(server.pages) == [1, 2, 3, 4, 5]
    assert workers.requests_made == 5 and len(workers.clients) > 1
    workers.close()


def test_total_count_too_low_never_hides_a_result(rsps):
    server = Server(rsps, results(60), total=10)
    assert pooled_list(pool()) == results(60)
    assert server.pages == [1, 2]


def test_total_count_too_high_costs_a_handful_of_requests(rsps):
    server = Server(rsps, results(60), total=100000)
    workers = pool(8)
    assert pooled_list(workers) == results(60)
    assert len(server.pages) <= 9, "page 1, then one batch of at most max_workers pages"
    workers.close()


def test_a_total_count_near_two_to_the_31_is_harmless(rsps):
    server = Server(rsps, results(120), total=2 ** 31 - 1)
    workers = pool(32)
    assert pooled_list(workers) == results(120)
    assert len(server.pages) <= 1 + 32
    workers.close()


@pytest.mark.parametrize("cap,count", [(20, 120), (20, 100), (7, 30)])
def test_a_server_that_pages_smaller_than_asked_is_read_to_the_end(rsps, cap, count):
    server = Server(rsps, results(count), page_cap=cap)
    assert pooled_list(pool(3)) == results(count)
    assert len(server.pages) == count // cap + 1


def test_a_server_that_ignores_page_num_is_refused(rsps):
    server = Server(rsps, results(50), ignore_page=True)
    with pytest.raises(IsalesError) as info:
        api.list_results(client(), 12)
    err = info.value
    assert err.kind == "parse" and "repeated items already seen" in err.msg and "defId 1645244637" in err.msg
    assert "queryOBSResults" in err.call
    assert len(server.pages) == 2 * _paging.LIST_ATTEMPTS


def test_a_list_that_shifts_once_is_read_again_from_page_one(rsps):
    served = []

    def shifting():
        served.append(1)
        # The second page read sees the list shifted by one: a result was added at the front meanwhile.
        return results(120) if len(served) != 2 else results(1, start=1) + results(120)[:119]
    server = Server(rsps, shifting)
    assert api.list_results(client(), 12) == results(120)
    assert server.pages == [1, 2, 1, 2, 3]


def test_an_endless_list_stops_at_max_pages(rsps, monkeypatch):
    monkeypatch.setattr(_paging, "MAX_PAGES", 4)
    server = Server(rsps, results(1000))
    with pytest.raises(IsalesError) as info:
        api.list_results(client(), 12)
    assert "at most 4 pages" in info.value.msg and len(server.pages) == 4
