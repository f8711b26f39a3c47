# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ClientPool: one client per thread, bounded concurrency, pages read concurrently."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
import time

import pytest

from ansible_collections.huawei.isales.plugins.module_utils._errors import IsalesError
from ansible_collections.huawei.isales.plugins.module_utils._workers import ClientPool


class FakeClient(object):
    """Answers read_page() with the page number; counts what it read (paging itself is IsalesClient's,
    tested in test_client_paging.py)."""

    def __init__(self):
        self.requests_made = 0
        self.thread = threading.current_thread().name
        self.pages_read = []

    def close(self):
        self.closed = True

    def read_page(self, path, number):
        self.requests_made += 1
        self.pages_read.append(number)
        return {"page": number}


def make_pool(size):
    clients = []

    def factory():
        client = FakeClient()
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


def test_map_reads_each_page_with_the_threads_own_client():
    pool, clients = make_pool(3)
    assert pool.map(lambda client, number: client.read_page("/p", number), [2, 3, 4]) == [
        {"page": 2}, {"page": 3}, {"page": 4}]
    assert sorted(n for c in clients for n in c.pages_read) == [2, 3, 4]
    assert pool.requests_made == 3
    pool.close()
