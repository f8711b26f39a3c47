# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark helper: the wall time of every task (loop items included), written as JSON.

Not part of the collection's API: tests/benchmarks/run_benchmark.py enables it with
ANSIBLE_CALLBACK_PLUGINS / ANSIBLE_CALLBACKS_ENABLED and reads $BENCH_TIMER_OUT.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: bench_timer
type: aggregate
short_description: Write the wall time of each task to the JSON file named by BENCH_TIMER_OUT
description:
  - Used by the benchmark in tests/benchmarks; not shipped as a plugin of the collection.
requirements:
  - enable in configuration
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_timer"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.tasks = []
        self.current = None

    def _close(self):
        if self.current is not None:
            self.current["seconds"] = time.monotonic() - self.current.pop("start")
            self.tasks.append(self.current)
            self.current = None

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._close()
        self.current = {"name": task.get_name(), "start": time.monotonic(), "failed": False}

    def v2_runner_on_failed(self, result, ignore_errors=False):
        if self.current is not None:
            self.current["failed"] = True

    def v2_playbook_on_stats(self, stats):
        self._close()
        path = os.environ.get("BENCH_TIMER_OUT")
        if path:
            with open(path, "w") as handle:
                json.dump(self.tasks, handle, indent=1)
