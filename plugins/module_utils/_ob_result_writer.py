# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The writing side of an external result: its writes, and what settles one whose outcome is unknown.

ObResultWriter is the ObResultManager (_ob_result.py) that writes: it is imported only by a task
that has something to write (the bulk module always), so that a task that changes nothing does not
compile it. A write whose outcome is unknown (connection lost, timeout, 5xx, unreadable answer), or
that the server refused because another run got there first, is reconciled by reading the state
again (apply()); a create that may still be in flight is never sent again; after its own create a
task settles a race with another run's copy (settle_race()).

Private module_utils: may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.huawei.isales.plugins.module_utils import _api_ob_results as api
from ansible_collections.huawei.isales.plugins.module_utils._errors import (
    CODE_PARAMETER_ERROR,
    CODE_WRONG_VALUE,
    KIND_API,
    IsalesError,
    ResourceError,
)
from ansible_collections.huawei.isales.plugins.module_utils._ob_result import (
    CREATE,
    DELETE,
    SETTLE_READS,
    UPDATE,
    ObResultManager,
    outcome,
    plan,
    plan_write,
    race_survivor,
    with_result_code,
)


class ObResultWriter(ObResultManager):
    """An ObResultManager that writes (not in check mode), reconciling every write it makes.

    removed: the defIds this task deleted because they were copies of the result it manages.
    """

    def converge(self, desired, state, before, listing, copies):
        """ObResultManager.ensure() once the result has been read (before, listing, its copies) and
        something is to do: remove the copies, make the write, settle a race."""
        self.remove_copies(copies, before)
        # Copies a read after a write of unknown outcome finds: a create that landed beside another run's.
        landed = []
        done = self.apply(desired, before, lambda current, fresh: plan(current, fresh, desired, state),
                          listing=listing, reread=lambda: self.read(desired, landed))
        after, current = done["after"], done["current"]
        self.remove_copies(landed, after)
        if done["action"] == CREATE and after is not None and not self.check_mode:
            _survivor, after = self.settle_race(desired, after)
        return outcome(before, with_result_code(after, current), done["action"], done["attempts"], self.removed)

    def _write(self, action, def_id, desired):
        """One write; the state it leaves."""
        if action == CREATE:
            payload = api.create_result(
                self.client, self.vdn_id, desired["display_result"], desired["obs_codes"], desired.get("result_code"))
            return dict(desired, defId=payload["defId"])
        if action == UPDATE:
            api.update_result(self.client, self.vdn_id, def_id, desired["display_result"], desired["obs_codes"])
            return dict(desired, defId=str(def_id))
        api.delete_result(self.client, self.vdn_id, def_id)
        return None

    def remove_copies(self, copies, keep):
        """Delete the copies read() found of the result keep (the lowest defId), each once; the states removed."""
        removed = []
        for copy in copies:
            if copy["defId"] in self.removed or (keep is not None and copy["defId"] == keep.get("defId")):
                continue
            self.remove(copy)
            removed.append(copy)
        return removed

    def remove(self, result):
        """Delete one result by its defId (a copy), reconciling an unknown outcome; in check mode only note it."""
        def_id = result["defId"]
        self.apply(result, result, lambda current, _listing: (DELETE, def_id) if current else (None, None),
                   reread=lambda: self.reread_by_def_id(def_id))
        self.removed.append(def_id)

    def settle_race(self, desired, created, listing=None):
        """After this task's create: when another result shows the same display text with a lower defId,
        delete this task's own create and converge on that one (the lowest defId stays, on every run alike).

        listing: the VDN's list read after the create (read here when not given).
        Returns (the survivor as read, the state the task leaves it in), or (None, created) when this
        task's create stays.
        """
        if listing is None:
            listing = self.listing()
        keep = race_survivor(listing, desired["display_result"], created["defId"])
        if keep is None:
            return None, created
        self.remove(created)
        survivor = self.state_of(keep["defId"])
        if desired.get("result_code") and survivor.get("result_code") != desired["result_code"]:
            raise ResourceError(
                "another run created an external result with the display text %r on VDN %s at the same time "
                "(defId %s, result code %s), with a lower defId, so it stays; this task's own create (defId %s, "
                "result code %r) was removed again, since display texts must stay unique. Give the results "
                "different display texts." % (desired["display_result"], self.vdn_id, survivor["defId"],
                                              repr(survivor.get("result_code")) if survivor.get("result_code") else "none",
                                              created["defId"], desired["result_code"]),
                defId=survivor["defId"], duplicates_removed=list(self.removed))
        done = self.apply(desired, survivor, lambda current, _fresh: plan_write(current, desired, "present"),
                          reread=lambda: (self.state_of(survivor["defId"]), None))
        return survivor, done["after"]

    def apply(self, desired, current, replan, listing=None, reread=None):
        """Carry out the write replan(current, listing) asks for, reconciling ambiguous failures.

        replan(current, listing) -> (action, def_id), with action None when nothing is to do.
        reread() -> (current, listing), a fresh read of the server's state; by default
        read(desired). A write whose outcome is unknown, or that the server refused because
        another run got there first (the result code exists, the defId is gone), is followed by
        a reread; it is only tried again when replan says it is still needed, at most
        client.retries more times. A create that may still be in flight is never sent again.
        In check mode nothing is written.

        Returns dict(after, current, action, attempts): the state the write left (as
        far as known without another read), the last state read, the action taken.
        """
        reread = reread or (lambda: self.read(desired))
        attempts = 0
        action_done = None
        action, def_id = replan(current, listing)
        while True:
            if action is None:
                after = current
                break
            action_done = action
            if self.check_mode:
                after = None if action == DELETE else dict(desired, defId=def_id)
                break
            attempts += 1
            outcome = self._try_write(action, def_id, desired)
            if not isinstance(outcome, IsalesError):
                after = outcome
                break
            current, listing, action_again, def_id_again = self._reconcile(action, desired, outcome, reread, replan)
            if action_again is None:
                after = current
                break
            if action == CREATE and outcome.in_flight:
                raise self._outcome_unknown(desired, outcome)
            if not outcome.ambiguous and (action_again, def_id_again) == (action, def_id):
                raise outcome  # a refusal that the state does not explain
            if attempts > self.client.retries:
                raise IsalesError(
                    "%s of the external result %r on VDN %s failed after %d %s; after each failure the "
                    "server's state was read again and showed the %s had not happened. Last cause: %s"
                    % (action, desired["display_result"], self.vdn_id, attempts, "try" if attempts == 1 else "tries",
                       action, outcome.msg),
                    outcome.kind, call=outcome.call, status=outcome.status,
                    return_code=outcome.return_code, return_desc=outcome.return_desc, attempts=attempts)
            self.client.pause(attempts, outcome)
            action, def_id = action_again, def_id_again
        return dict(after=after, current=current, action=action_done, attempts=attempts)

    def _reconcile(self, action, desired, err, reread, replan):
        """(current, listing, next action, its defId) after a write that failed with err.

        A write that may still be in flight (timeout, 504) gets SETTLE_READS more reads,
        `timeout` seconds apart, to land before it counts as not having happened.
        """
        current, listing = self._reread_after(action, desired, err, reread)
        action_again, def_id_again = replan(current, listing)
        settle_reads = 0
        while action_again is not None and err.in_flight and settle_reads < SETTLE_READS:
            settle_reads += 1
            self.client.sleep(self.client.timeout)
            current, listing = self._reread_after(action, desired, err, reread)
            action_again, def_id_again = replan(current, listing)
        return current, listing, action_again, def_id_again

    def _outcome_unknown(self, desired, err):
        waited = self.client.timeout * SETTLE_READS
        return _unknown(CREATE, desired, IsalesError(
            "outcome unknown - the create may still land; run again. The create of the external result %r on VDN "
            "%s got no answer in time (%s), and reading the VDN's results %d times over %d s more did not show it. "
            "It was not sent again, so that it cannot land twice. Run the task again once the server answers: it "
            "converges (a copy that lands later is removed, the lowest defId staying)."
            % (desired["display_result"], self.vdn_id, err.msg, SETTLE_READS + 1, waited),
            err.kind, call=err.call, status=err.status, return_code=err.return_code, return_desc=err.return_desc))

    def _try_write(self, action, def_id, desired):
        """The state a write leaves, or the IsalesError of a write to reconcile by reading again."""
        try:
            return self._write(action, def_id, desired)
        except IsalesError as err:
            if err.ambiguous or self._refused_by_a_race(action, err, desired):
                return err
            raise

    @staticmethod
    def _refused_by_a_race(action, err, desired):
        """A refusal another run can cause: the result code exists (create), the defId is gone (update, delete)."""
        if err.kind != KIND_API:
            return False
        if action == CREATE:
            return bool(desired.get("result_code")) and err.return_code == CODE_PARAMETER_ERROR
        return err.return_code == CODE_WRONG_VALUE

    def _reread_after(self, action, desired, err, reread=None):
        try:
            return reread() if reread else self.read(desired)
        except IsalesError as reread_err:
            raise _unknown(action, desired, IsalesError(
                "the %s of the external result %r on VDN %s may or may not have happened (%s), and reading the "
                "server's state again failed too (%s). Nothing was written twice; run the task again once the "
                "server answers: it converges." % (action, desired["display_result"], self.vdn_id, err.msg,
                                                   reread_err.msg),
                reread_err.kind, call=reread_err.call, status=reread_err.status,
                return_code=reread_err.return_code, return_desc=reread_err.return_desc))


def _unknown(action, desired, err):
    """err, noting the write it leaves of unknown outcome."""
    err.outcome_unknown = [dict(action=action, display_result=desired.get("display_result"),
                                defId=desired.get("defId"))]
    return err
