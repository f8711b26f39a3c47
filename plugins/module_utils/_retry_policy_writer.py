# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Writing a campaign's retry policy when there is no version to guard the write with.

A write replaces the whole document, and two runs (AWX schedules overlap) may each read,
change and write it. So every write is read back: when the declared change is missing,
another writer replaced the document - re-plan from what was read and write again, at most
MAX_WRITES times; a read-back equal to the document before the write means the server
ignored it. Then one settle read after a short random pause (about twice the round trip):
our write can drop another run's change only when that run wrote between our read and our
write, and that run's own settle read catches it. A write whose outcome is unknown is settled
by reading (with the settle reads of a late create: SETTLE_READS more, `timeout` apart, when
it may still be in flight), never sent again blindly.

Private module_utils: may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import random
import time

from ansible_collections.huawei.isales.plugins.module_utils._api_retry_policies import get_policy, set_policy
from ansible_collections.huawei.isales.plugins.module_utils._errors import IsalesError, ResourceError
from ansible_collections.huawei.isales.plugins.module_utils._ob_result import SETTLE_READS
from ansible_collections.huawei.isales.plugins.module_utils._retry_policy import (
    holds,
    planned,
    read_policy,
    view,
    write_body,
)

# Writes of one task at most, when other writers keep replacing the document.
MAX_WRITES = 3


class PolicyWriter(object):
    """Converges one campaign's retry policy; in check mode it plans and writes nothing."""

    def __init__(self, client, vdn_id, campaign, check_mode=False, rand=random.random):
        self.client = client
        self.vdn_id = vdn_id
        self.campaign = campaign
        self.check_mode = check_mode
        self.rand = rand

    def read(self):
        data, call = get_policy(self.client, self.vdn_id, self.campaign["id"])
        return read_policy(data, call)

    def converge(self, current, want):
        """The policy as it is after the task (as read back, or as planned in check mode)."""
        failures = 0
        err = None
        for attempt in range(MAX_WRITES):
            target = planned(current, want, self.campaign)
            if target is current or self.check_mode:
                return target
            started = time.monotonic()
            err = None
            try:
                set_policy(self.client, self.vdn_id, self.campaign["id"], write_body(target))
            except IsalesError as failure:
                if not failure.ambiguous:
                    raise
                err = failure
                failures += 1
                back = self._settle(err, want)
            else:
                back = self.read()
                if not holds(back, want) and view(back) == view(current):
                    raise ResourceError(
                        "the server answered the write of campaign %s's retry policy with success, but reading it "
                        "back shows the policy as it was before: the server ignored the write" % self.campaign["id"],
                        campaign_id=self.campaign["id"])
            if holds(back, want):
                back = self._settle_read(started)
                if holds(back, want):
                    return back
                back = self._yield_to_others(started, attempt, back)
            elif err is not None:
                if failures > self.client.retries:
                    raise self._gave_up(err, failures)
                self.client.pause(failures, err)
            else:
                back = self._yield_to_others(started, attempt, back)
            current = back  # plan again from what the server holds now
        if err is not None:
            raise self._gave_up(err, failures)
        raise ResourceError(
            "campaign %s's retry policy was replaced by another writer after each of %d writes of this task; "
            "the declared change is not in it. Run the task again once the other writer is done."
            % (self.campaign["id"], MAX_WRITES), campaign_id=self.campaign["id"])

    def _settle_read(self, started):
        """The policy read once more after a random pause of about twice the write's round trip: a run that
        wrote between our read and our write has had its change dropped by ours, and its own settle read
        catches that; ours catches the reverse."""
        self.client.sleep(2 * (time.monotonic() - started) * (0.5 + self.rand()))
        return self.read()

    def _yield_to_others(self, started, attempt, back):
        """The policy to plan the next write from, after another writer's change replaced ours (back: as read
        then). Runs that write at the same moment (overlapping schedules, the same campaigns in the same order)
        would keep replacing each other's write in lockstep: wait a random pause of up to twice the last
        write's round trip, longer at each attempt, then read the policy afresh (what was read before the
        pause may be stale by then)."""
        if attempt + 1 >= MAX_WRITES:
            return back
        self.client.sleep(2 * (time.monotonic() - started) * (attempt + 1) * self.rand())
        return self.read()

    def _gave_up(self, err, failures):
        return IsalesError(
            "the write of campaign %s's retry policy failed %d %s; after each failure the policy was read again and "
            "showed the change had not happened. Last cause: %s"
            % (self.campaign["id"], failures, "time" if failures == 1 else "times", err.msg),
            err.kind, call=err.call, status=err.status, return_code=err.return_code, return_desc=err.return_desc,
            attempts=failures)

    def _settle(self, err, want):
        """The policy read after a write whose outcome is unknown, read again while it may still land."""
        try:
            current = self.read()
            for _read in range(SETTLE_READS if err.in_flight else 0):
                if holds(current, want):
                    break
                self.client.sleep(self.client.timeout)
                current = self.read()
            return current
        except IsalesError as read_err:
            failure = IsalesError(
                "the write of campaign %s's retry policy may or may not have happened (%s), and reading the policy "
                "again failed too (%s). Nothing was written twice; run the task again once the server answers: it "
                "converges." % (self.campaign["id"], err.msg, read_err.msg),
                read_err.kind, call=read_err.call, status=read_err.status, return_code=read_err.return_code,
                return_desc=read_err.return_desc)
            failure.outcome_unknown = [dict(action="set retry policy", campaign_id=self.campaign["id"])]
            raise failure
