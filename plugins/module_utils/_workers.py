# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bounded concurrency for the modules that read many things at once.

Each worker thread gets its own IsalesClient, and so its own requests
session and keep-alive connection: nothing that is not thread-safe is shared.
It knows no resource: _paging.read_list() reads pages with it, the modules
their reads and, where they decide so, their writes.

Private module_utils: may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading

from ansible_collections.huawei.isales.plugins.module_utils._common import MAX_WORKERS
from ansible_collections.huawei.isales.plugins.module_utils._errors import KIND_CANCELLED, IsalesError


class ClientPool(object):
    """Up to `size` worker threads, each with its own client made by `factory()`.

    `main` is the calling thread's client (made by the factory when not given). `cancel`
    (a threading.Event): once set, no queued call starts.
    """

    def __init__(self, factory, size, main=None, cancel=None):
        self.factory = factory
        self.cancel = cancel
        self.size = max(1, min(MAX_WORKERS, int(size)))
        self._local = threading.local()
        self._lock = threading.Lock()
        self._executor = None
        self.clients = []
        if main is not None:
            self.clients.append(main)
            self._local.client = main
        else:
            self.client()

    @property
    def requests_made(self):
        """Requests sent by all the pool's clients so far."""
        with self._lock:
            return sum(client.requests_made for client in self.clients)

    def client(self):
        """The calling thread's client."""
        client = getattr(self._local, "client", None)
        if client is None:
            client = self.factory()
            with self._lock:
                self.clients.append(client)
            self._local.client = client
        return client

    def close(self):
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
        with self._lock:
            for client in self.clients:
                client.close()

    def _pool(self):
        if self._executor is None:
            # Imported here: the modules that never go concurrent do not pay for it.
            from concurrent.futures import ThreadPoolExecutor  # pylint: disable=import-outside-toplevel
            self._executor = ThreadPoolExecutor(max_workers=self.size, thread_name_prefix="isales")
        return self._executor

    def map(self, func, items, size=None):
        """[func(client, item) for item in items], at most `size` (default: the pool's) at a time.

        Each call gets its thread's client. After the first failure, or once the pool is
        cancelled, no further call starts (the queued ones are dropped, not run); the calls
        already running end, then the failure of the earliest item that failed is raised
        (IsalesError of kind cancelled when calls were dropped without one).
        """
        items = list(items)
        size = self.size if size is None else max(1, min(self.size, int(size)))
        if size == 1 or len(items) <= 1:
            client = self.client()
            return [func(client, item) for item in items]
        stop = threading.Event()
        gate = threading.Semaphore(size)
        skipped = object()

        def task(item):
            with gate:
                if stop.is_set() or (self.cancel is not None and self.cancel.is_set()):
                    return skipped
                try:
                    return func(self.client(), item)
                except BaseException:
                    stop.set()
                    raise

        futures = [self._pool().submit(task, item) for item in items]
        results = []
        error = None
        for future in futures:
            try:
                results.append(future.result())
            except Exception as exc:  # pylint: disable=broad-except
                if error is None:
                    error = exc
        if error is not None:
            raise error
        if any(result is skipped for result in results):
            raise IsalesError("%d of %d calls were not started: the task is being stopped"
                              % (sum(1 for result in results if result is skipped), len(items)),
                              KIND_CANCELLED, sent=False)
        return results
