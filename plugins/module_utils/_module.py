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

import os
import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.huawei.isales.plugins.module_utils._client import REQUESTS_IMPORT_ERROR, IsalesClient
from ansible_collections.huawei.isales.plugins.module_utils._common import (
    argument_spec,
    client_settings,
    connection_problems,
    transport_warnings,
    validate_vdn,
    workers_problems,
)
from ansible_collections.huawei.isales.plugins.module_utils._errors import IsalesError, ResourceError


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
        super(IsalesModule, self).__init__(argument_spec=argument_spec(options, workers=workers), **kwargs)
        self._validate = validate
        self._workers = workers
        self._clients = []
        self._pool = None

    def _log_invocation(self):
        # A NUL character cannot be logged to syslog (ansible-core 2.20 and later then fail the module with
        # "Failed to log to syslog", naming no option); run() refuses such a value anyway, naming its option.
        if not options_with_nul(self.params):
            super(IsalesModule, self)._log_invocation()

    def problems(self):
        """Every problem with the options, each naming its option."""
        problems = ["%s must not contain a NUL character" % name for name in options_with_nul(self.params)]
        problems.extend(connection_problems(self.params) + validate_vdn(self.params["vdn_id"]))
        if self._workers:
            problems.extend(workers_problems(self.params))
        if self._validate is not None:
            problems.extend(self._validate(self.params))
        return problems

    def client(self, **overrides):
        """A new client on the module's connection options (overrides: e.g. retries, signed_headers)."""
        client = IsalesClient(**client_settings(self.params, **overrides))
        self._clients.append(client)
        return client

    def pool(self):
        """The module's pool of max_workers clients, one per thread."""
        if self._pool is None:
            # Imported here: a module that reads one thing at a time does not compile it.
            from ansible_collections.huawei.isales.plugins.module_utils._workers import (  # pylint: disable=import-outside-toplevel
                ClientPool,
            )
            self._pool = ClientPool(self.client, self.params["max_workers"])
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
        try:
            result = work(self)
        except (IsalesError, ResourceError) as err:
            failure = self._failure(err, err.to_result())
        except Exception as err:  # pylint: disable=broad-except  # a bug: said in one line, never a traceback
            failure = self._failure(err, dict(msg=unexpected(err), error_kind="internal"))
        finally:
            self.close()
        if failure is not None:
            self.fail_json(**failure)
        result.setdefault("changed", False)
        result["api_requests"] = self.requests_made
        self.exit_json(**result)

    def _failure(self, err, details):
        """fail_json's arguments: what the task did before the failure (err.partial), then the failure."""
        failure = dict(changed=False)
        failure.update(getattr(err, "partial", None) or {})  # an unforeseen error has none
        failure.update(details)
        failure["api_requests"] = self.requests_made
        return failure


def unexpected(err):
    """The message of a failure the collection did not foresee (a bug): what and where, in one line."""
    where = ""
    frames = traceback.extract_tb(err.__traceback__)
    if frames:
        where = " at %s:%d" % (os.path.basename(frames[-1].filename), frames[-1].lineno)
    return ("internal error in the huawei.isales collection (%s%s: %s); nothing more was written after it. Please "
            "report it with the task's options (no secrets are shown here)." % (type(err).__name__, where, err))


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
