# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IsalesModule: the AnsibleModule of every module of the collection.

It builds the argument spec (the connection options, vdn_id, max_workers for
the modules that read concurrently, and the module's own options), checks
every option before any request is sent, makes the clients (and the worker
pool) and closes them whatever happens, and is the one place where a failure
(IsalesError, ResourceError) becomes fail_json. A module is then a
DOCUMENTATION, an argument spec, a validator and a run(module) function that
returns the task's result.

Private module_utils: may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import signal
import sys
import threading
import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.huawei.isales.plugins.module_utils._client import (
    REQUESTS_IMPORT_ERROR,
    IsalesClient,
    url_secrets,
)
from ansible_collections.huawei.isales.plugins.module_utils._common import (
    argument_spec,
    client_settings,
    connection_problems,
    raw_type_problems,
    transport_warnings,
    validate_vdn,
    workers_problems,
)
from ansible_collections.huawei.isales.plugins.module_utils._errors import KIND_CANCELLED, IsalesError, ResourceError


class IsalesModule(AnsibleModule):
    """An AnsibleModule that talks to one CC-iSales server about one VDN.

    options: the module's own argument spec. validate(params) -> [messages naming
    their options], checked with the shared options before any request.
    workers: the module reads concurrently (max_workers, pool()).
    Other keyword arguments go to AnsibleModule (required_if, ...); check mode
    is supported unless told otherwise.
    """

    def __init__(self, options=None, validate=None, workers=False, **kwargs):
        kwargs.setdefault("supports_check_mode", True)
        self._raw_problems = []
        super(IsalesModule, self).__init__(argument_spec=argument_spec(options, workers=workers), **kwargs)
        self._validate = validate
        self._workers = workers
        self._clients = []
        self._pool = None
        # Set on SIGINT / SIGTERM: no request starts after it (every client checks it).
        self.stop = threading.Event()
        self._stopped_by = None

    def _load_params(self):
        # The arguments as they were passed, before ansible-core converts them: YAML reads an unquoted 007 as
        # the number 7, which an option of strings would receive as "7", and a boolean passes as an integer.
        super(IsalesModule, self)._load_params()
        self._raw_problems = raw_type_problems(self.argument_spec, self.params)
        # The password of a url's userinfo is a secret like a no_log option (run() refuses such a url), from
        # here on: ansible-core may refuse another argument, and echo the invocation, before run() is reached.
        for url in (self.params.get("url"), os.environ.get("ISALES_URL")):
            self.no_log_values.update(url_secrets(url))

    def _log_invocation(self):
        # A NUL character cannot be logged to syslog (ansible-core 2.20 and later then fail the module with
        # "Failed to log to syslog", naming no option); run() refuses such a value anyway, naming its option.
        if not options_with_nul(self.params):
            super(IsalesModule, self)._log_invocation()

    def problems(self):
        """Every problem with the options, each naming its option."""
        problems = ["%s must not contain a NUL character" % name for name in options_with_nul(self.params)]
        problems.extend(self._raw_problems)
        problems.extend(connection_problems(self.params))
        if not any(problem.startswith("vdn_id ") for problem in self._raw_problems):
            problems.extend(validate_vdn(self.params["vdn_id"]))
        if self._workers:
            problems.extend(workers_problems(self.params))
        if self._validate is not None:
            problems.extend(self._validate(self.params))
        return problems

    def client(self, **overrides):
        """A new client on the module's connection options (overrides: e.g. retries, signed_headers)."""
        settings = dict(stop=self.stop, log=self.log)
        settings.update(overrides)
        client = IsalesClient(**client_settings(self.params, **settings))
        self._clients.append(client)
        return client

    def pool(self, main=None):
        """The module's pool of max_workers clients, one per thread; main: the calling thread's client
        (a new one when not given), when the pool is made."""
        if self._pool is None:
            # Imported here: a module that reads one thing at a time does not compile it.
            from ansible_collections.huawei.isales.plugins.module_utils._workers import (  # pylint: disable=import-outside-toplevel
                ClientPool,
            )
            self._pool = ClientPool(self.client, self.params["max_workers"], main=main, cancel=self.stop)
        return self._pool

    @property
    def requests_made(self):
        """API requests sent by every client of the module (retries included)."""
        return sum(client.requests_made for client in list(self._clients))

    def close(self):
        """Stop the pool's threads and close every client's connections."""
        if self._pool is not None:
            self._pool.close()
        for client in self._clients:
            client.close()

    def run(self, work):
        """Check the options, then exit with work(self)'s result (plus api_requests), or fail
        with the failure's message, kind, call, status, codes and what was done before it."""
        problems = self.problems()
        if problems:
            self.fail_json(msg="; ".join(problems))
        if REQUESTS_IMPORT_ERROR:
            self.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        for warning in transport_warnings(self.params):
            self.warn(warning)
        failure = None
        previous = self._trap_signals()
        try:
            result = work(self)
        except (IsalesError, ResourceError) as err:
            failure = self._failure(err, err.to_result())
        except Exception as err:  # pylint: disable=broad-except  # a bug: said in one line, never a traceback
            failure = self._failure(err, dict(msg=unexpected(err, self.writes()), error_kind="internal"))
        finally:
            self.close()
            self._restore_signals(previous)
        if failure is None and self._stopped_by:
            self.warn("%s came after the task's last request: the task had done all its work" % self._stopped_by)
        if failure is not None:
            self.fail_json(**failure)
        result.setdefault("changed", False)
        result["api_requests"] = self.requests_made
        self.exit_json(**result)

    def _failure(self, err, details):
        """fail_json's arguments: what the task did before the failure (err.partial), then the failure,
        and every write the task sent with its outcome; changed when one of them was made."""
        failure = dict(changed=False)
        failure.update(getattr(err, "partial", None) or {})  # an unforeseen error has none
        failure.update(details)
        writes = self.writes()
        if writes:
            failure["writes"] = writes
            failure["changed"] = failure["changed"] or made_a_write(writes)
        if self._stopped_by:
            failure["msg"] = "stopped by %s before the task finished; no request was started after it. %s" % (
                self._stopped_by, failure["msg"])
            failure["error_kind"] = KIND_CANCELLED
        failure["api_requests"] = self.requests_made
        return failure

    def writes(self):
        """Every write the task's clients sent, in order: {call, outcome, returnCode}."""
        return [write for client in list(self._clients) for write in client.writes]

    # -- stopping -----------------------------------------------------------------

    def _trap_signals(self):
        """On the first SIGINT / SIGTERM, stop starting requests (and end the task with what it did); on a
        second one, leave at once. Returns the handlers to restore."""
        previous = {}
        for signum in (signal.SIGINT, signal.SIGTERM):
            try:
                previous[signum] = signal.signal(signum, self._on_signal)
            except ValueError:  # not the main thread (a test harness): nothing to trap
                pass
        return previous

    @staticmethod
    def _restore_signals(previous):
        for signum, handler in previous.items():
            signal.signal(signum, handler)

    def _on_signal(self, signum, _frame):
        name = signal.Signals(signum).name
        if self.stop.is_set():
            self.log("huawei.isales: stopped at once by a second signal (%s)" % name)
            writes = self.writes()
            sys.stdout.write(json.dumps(dict(
                failed=True, changed=made_a_write(writes), error_kind=KIND_CANCELLED, writes=writes,
                msg="stopped at once by a second signal (%s): requests in flight were abandoned, and their "
                    "outcome is unknown; the module's log (syslog / journal) records every write. Run the task "
                    "again: it converges." % name)) + "\n")
            sys.stdout.flush()
            os._exit(1)  # pylint: disable=protected-access
        self._stopped_by = name
        self.log("huawei.isales: %s received; no request is started after it" % name)
        self.stop.set()


def made_a_write(writes):
    """Whether any of the writes (IsalesModule.writes()) was done: the task changed something."""
    return any(write["outcome"] == "done" for write in writes)


def unexpected(err, writes=()):
    """The message of a failure the collection did not foresee (a bug): what and where, in one line, and
    what the task had written before it (returned in writes)."""
    where = ""
    frames = traceback.extract_tb(err.__traceback__)
    if frames:
        where = " at %s:%d" % (os.path.basename(frames[-1].filename), frames[-1].lineno)
    if writes:
        before = ("the task had sent %d write(s) before it (returned in writes, with their outcome); nothing was "
                  "written after it" % len(writes))
    else:
        before = "the task had written nothing"
    return ("internal error in the huawei.isales collection (%s%s: %s); %s. Please report it with the task's "
            "options (no secrets are shown here)." % (type(err).__name__, where, err, before))


def options_with_nul(params, prefix=""):
    """The names (config[2].display_result style) of the options whose value holds a NUL character."""
    names = []
    for key, value in (params or {}).items():
        name = "%s%s" % (prefix, key)
        if isinstance(value, str):
            if "\x00" in value:
                names.append(name)
        elif isinstance(value, dict):
            names.extend(options_with_nul(value, name + "."))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    names.extend(options_with_nul(item, "%s[%d]." % (name, index)))
                elif isinstance(item, str) and "\x00" in item:
                    names.append("%s[%d]" % (name, index))
    return names
