# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ClientPool: one client per thread, bounded concurrency, concurrent paging with fallbacks."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
import time

import pytest

from ansible_collections.huawei.isales.plugins.module_utils.client import IsalesError
from ansible_collections.huawei.isales.plugins.module_utils.workers import ClientPool


class FakeClient(object):
    """Serves pages of `items` (a list, or a callable giving the list for each call)."""

    def __init__(self, items=(), page_cap=50, totals=None):
        self.items = items
        self.page_cap = page_cap
        self.totals = totals or {}
        self.requests_made = 0
        self.thread = threading.current_thread().name
        self.pages_read = []
        self.sequential = 0

    def _items(self):
        return self.items() if callable(self.items) else list(self.items)

    def read(self, method, path, query=None):
        self.requests_made += 1
        number, size = int(query["pageNum"]), min(int(query["pageSize"]), self.page_cap)
        self.pages_read.append(number)
        items = self._items()
        return {"data": items[(number - 1) * size:number * size], "totalCount": self.totals.get(number, len(items))}

    def read_pages(self, path, key):
        self.sequential += 1
        self.requests_made += 1
        return self._items()


def make_pool(size, **kwargs):
    clients = []

    def factory():
        client = FakeClient(**kwargs)
        clients.append(client)
        return client
    return ClientPool(factory, size), clients


def test_map_keeps_the_order_and_gives_each_thread_its_own_client():
    pool, clients = make_pool(4)
    seen = {}

    def work(client, item):
        time.sleep(0.001 * (item % 3))
        seen.setdefault(threading.current_thread().name, set()).add(id(client))
        return item * 2
    assert pool.map(work, range(40)) == [i * 2 for i in range(40)]
    assert all(len(ids) == 1 for ids in seen.values())
    assert len(set().union(*seen.values())) == len(seen)
    pool.close()


def test_map_with_one_worker_runs_in_the_calling_thread():
    pool, clients = make_pool(1)
    threads = set()
    pool.map(lambda client, item: threads.add(threading.current_thread().name), range(5))
    assert threads == {threading.current_thread().name} and len(clients) == 1


def test_map_stops_starting_calls_after_a_failure():
    pool, _clients = make_pool(2)
    started = []

    def work(client, item):
        started.append(item)
        if item == 3:
            raise IsalesError("boom %d" % item, "api")
        time.sleep(0.002)
        return item
    with pytest.raises(IsalesError) as info:
        pool.map(work, range(200))
    assert info.value.msg == "boom 3" and len(started) < 200
    pool.close()


def test_map_size_bounds_concurrency():
    pool, _clients = make_pool(8)
    running = []
    peak = []
    lock = threading.Lock()

    def work(client, item):
        with lock:
            running.append(item)
            peak.append(len(running))
        time.sleep(0.002)
        with lock:
            running.remove(item)
    pool.map(work, range(30), size=2)
    assert max(peak) <= 2
    pool.close()


def items(n):
    return [{"defId": str(i)} for i in range(n)]


def test_read_all_pages_reads_page_one_then_the_rest_concurrently():
    pool, clients = make_pool(4, items=items(201))
    assert pool.read_all_pages("/p", "data", id_key="defId") == items(201)
    assert sorted(n for c in clients for n in c.pages_read) == [1, 2, 3, 4, 5]
    assert pool.requests_made == 5 and not any(c.sequential for c in clients)


def test_read_all_pages_small_list_is_one_request():
    pool, clients = make_pool(4, items=items(3))
    assert pool.read_all_pages("/p", "data") == items(3) and pool.requests_made == 1


def test_read_all_pages_falls_back_when_the_server_pages_smaller():
    pool, clients = make_pool(4, items=items(120), page_cap=20)
    assert pool.read_all_pages("/p", "data") == items(120)
    assert clients[0].sequential == 1


def test_read_all_pages_falls_back_when_the_list_changes_meanwhile():
    pool, clients = make_pool(3, items=items(120), totals={3: 121})
    assert pool.read_all_pages("/p", "data", id_key="defId") == items(120)
    assert clients[0].sequential == 1


def test_read_all_pages_falls_back_on_duplicates():
    calls = []

    def shifting():
        calls.append(1)
        base = items(120)
        return base if len(calls) == 1 else [{"defId": "0"}] + base[:119]
    pool, clients = make_pool(3, items=shifting)
    pool.read_all_pages("/p", "data", id_key="defId")
    assert clients[0].sequential == 1


def test_requests_made_adds_every_client():
    pool, clients = make_pool(3, items=items(150))
    pool.read_all_pages("/p", "data")
    assert pool.requests_made == sum(c.requests_made for c in clients) == 3
