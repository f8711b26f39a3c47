# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A no-retry rule over many campaigns of a VDN at once (isales_retry_policies).

Selection and validation are pure functions; Rollout reads every selected
campaign's policy (in parallel on a ClientPool), plans each campaign on its
own with the planner of one campaign (_retry_policy.planned), and writes the
campaigns that differ, in parallel too, each through PolicyWriter (write, read
back, settle read, re-plan), exactly as isales_retry_policy does for one.

Each campaign's outcome is one of OUTCOMES. A failure that concerns one
campaign (the server refusing its change, an answer about it that cannot be
used, a write another writer keeps replacing) is recorded and the others go
on; a failure that concerns every campaign (authentication, TLS, connection,
timeouts and 5xx once retries are spent, a stopped task) stops new work at
once: the campaigns not started are "not_attempted".

Private module_utils: may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading

from ansible_collections.huawei.isales.plugins.module_utils._api_campaigns import (
    STATUS_CODES,
    campaign_id_problem,
    vanished,
)
from ansible_collections.huawei.isales.plugins.module_utils._api_retry_policies import get_policy
from ansible_collections.huawei.isales.plugins.module_utils._errors import (
    KIND_API,
    KIND_CANCELLED,
    KIND_HTTP,
    KIND_PARSE,
    IsalesError,
    ResourceError,
)
from ansible_collections.huawei.isales.plugins.module_utils._retry_policy import (
    NO_RETRY_OPTIONS,
    NUMBER_TYPE,
    dangling,
    planned,
    read_policy,
    validate,
    view,
)

SELECTION_OPTIONS = dict(
    campaign_ids=dict(type="list", elements="str"),
    campaign_names=dict(type="list", elements="str"),
    all_campaigns=dict(type="bool", default=False),
    status=dict(type="str", choices=sorted(STATUS_CODES)),
)
OPTIONS = dict(SELECTION_OPTIONS, **NO_RETRY_OPTIONS)
OPTIONS.update(clear_all=dict(type="bool", default=False))

CHANGED = "changed"
UNCHANGED = "unchanged"
SKIPPED = "skipped"
FAILED = "failed"
NOT_ATTEMPTED = "not_attempted"
OUTCOMES = (CHANGED, UNCHANGED, SKIPPED, FAILED, NOT_ATTEMPTED)
# A campaign's state while the rollout runs, never an outcome: its policy was read, and it is not planned yet.
READ = "read"

# HTTP statuses that concern the whole task, not one campaign: the key (401, 403), a proxy (407), the rate (429).
_GLOBAL_STATUSES = (401, 403, 407, 429)


def validate_rollout(params):
    """Problems with isales_retry_policies' own options, each naming its option; [] when all is well."""
    problems = validate(params)
    ids, names, every = params.get("campaign_ids"), params.get("campaign_names"), params.get("all_campaigns")
    if every and (ids is not None or names is not None):
        problems.append("all_campaigns: true selects every campaign; it does not take campaign_ids or campaign_names")
    elif not every and ids is None and names is None:
        problems.append("one of campaign_ids, campaign_names or all_campaigns: true is required")
    for name, values in (("campaign_ids", ids), ("campaign_names", names)):
        if values is not None and not values:
            problems.append("%s is empty: name at least one campaign, or select every one with all_campaigns: true"
                            % name)
        for index, value in enumerate(values or []):
            problem = campaign_id_problem(value) if name == "campaign_ids" else (
                None if value.strip() else "a campaign name must not be empty")
            if problem:
                problems.append("%s[%d] %r: %s" % (name, index, value, problem))
    if params.get("status") is not None and not every:
        problems.append("status narrows all_campaigns: true; campaign_ids and campaign_names name the campaigns "
                        "themselves")
    clears = (every and params.get("purge") and params.get("state", "present") == "present"
              and not params.get("no_retry_result_codes") and not params.get("no_retry_display_results"))
    if clears and not params.get("clear_all"):
        problems.append("purge: true with empty no_retry lists over all_campaigns would empty the no-retry list of "
                        "every campaign of VDN %s: set clear_all: true to confirm that" % params.get("vdn_id"))
    if params.get("clear_all") and not clears:
        problems.append("clear_all: true is only allowed with all_campaigns: true, purge: true and empty "
                        "no_retry_result_codes and no_retry_display_results")
    return problems


def select(campaigns, params):
    """The campaigns the task names (campaign_ids and campaign_names), each once and in the list's order, or with
    all_campaigns those listed (of the status asked, checked here too: a server's filter is not trusted).
    ResourceError naming every id no campaign has and every name that matches none or several."""
    if params.get("all_campaigns"):
        status = params.get("status") or "all"
        return [item for item in campaigns if status == "all" or item["status"] == status]
    by_id = dict((item["id"], item) for item in campaigns)
    problems = []
    chosen = []
    for campaign_id in params.get("campaign_ids") or []:
        if campaign_id not in by_id:
            problems.append("campaign_ids: VDN %s has no campaign %s" % (params.get("vdn_id"), campaign_id))
        elif by_id[campaign_id] not in chosen:
            chosen.append(by_id[campaign_id])
    for name in params.get("campaign_names") or []:
        matches = [item for item in campaigns if item["name"] == name]
        if not matches:
            problems.append("campaign_names: no campaign is named %r" % name)
        elif len(matches) > 1:
            found = ", ".join("%s (%s)" % (item["id"], item["status"]) for item in matches)
            problems.append("campaign_names: %d campaigns are named %r: %s; name the one meant in campaign_ids"
                            % (len(matches), name, found))
        elif matches[0] not in chosen:
            chosen.append(matches[0])
    if problems:
        raise ResourceError("%s. Nothing was written; huawei.isales.isales_campaign_info lists the VDN's campaigns."
                            % "; ".join(problems))
    return [item for item in campaigns if any(item is chosen_item for chosen_item in chosen)]


def concerns_one_campaign(err):
    """Whether a failure is about one campaign (recorded, the rollout goes on) rather than the whole task."""
    if isinstance(err, ResourceError):
        return True
    if err.kind in (KIND_API, KIND_PARSE):
        return True
    return err.kind == KIND_HTTP and 400 <= (err.status or 0) < 500 and err.status not in _GLOBAL_STATUSES


def unusable(policy):
    """Why a rollout over all_campaigns leaves the campaign alone, or None: it has no policy (a rollout does
    not create policies wholesale), or a number-type one (it cannot carry no-retry results)."""
    if not policy.exists:
        return "the campaign has no retry policy; a rollout does not create one (isales_retry_policy does)"
    if policy.policy_type == NUMBER_TYPE:
        return "the campaign has a number-type retry policy (policyType 1), which cannot carry no-retry results"
    return None


class Record(object):
    """One campaign of the rollout: what was read, planned and done."""

    def __init__(self, campaign):
        self.campaign = campaign
        self.outcome = NOT_ATTEMPTED
        self.reason = None
        self.before = None
        self.after = None
        self.error = None
        # A write of the campaign's policy was confirmed before the failure in self.error.
        self.written = False

    def report(self, results):
        """The campaign as the module returns it."""
        policy = self.after if self.after is not None else self.before
        if self.written and self.after is None:
            policy = None  # written, but what the server holds now was not read
        reason = self.reason
        if self.outcome == NOT_ATTEMPTED and reason is None:
            reason = "not attempted: the task stopped before it reached this campaign"
        return dict(campaign_id=self.campaign["id"], campaign_name=self.campaign["name"],
                    campaign_status=self.campaign["status"], outcome=self.outcome,
                    changed=self.outcome == CHANGED, skipped=self.outcome == SKIPPED, failed=self.outcome == FAILED,
                    reason=reason, retry_policy=view(policy, results) if policy is not None and policy.exists else None)


class Rollout(object):
    """Converges the no-retry list of many campaigns; in check mode it plans and writes nothing.

    explicit: the campaigns were named (by id or name); a campaign without a policy or with a
    number-type one then fails the task before any write instead of being skipped. stop: the
    module's stop event (a stopped task starts no campaign).
    """

    def __init__(self, pool, vdn_id, want, explicit=False, check_mode=False, stop=None):
        self.pool = pool
        self.vdn_id = vdn_id
        self.want = want
        self.explicit = explicit
        self.check_mode = check_mode
        self.stop = stop
        self.halt = threading.Event()
        # The failure that concerns every campaign, when one came.
        self.fatal = None
        self.refused = []
        self._lock = threading.Lock()

    def _halted(self):
        return self.halt.is_set() or (self.stop is not None and self.stop.is_set())

    def _each(self, records, work):
        """work(client, record) for each record, in parallel; a failure is recorded on its campaign, and one
        that concerns every campaign halts the rollout (records not started stay not_attempted)."""
        def task(client, record):
            if self._halted():
                return
            try:
                work(client, record)
            except (IsalesError, ResourceError) as err:
                record.error = err
                if record.written:
                    record.outcome = CHANGED
                    record.reason = ("written (the server confirmed the write), but not read back and settled: %s"
                                     % err.msg)
                elif isinstance(err, IsalesError) and err.kind == KIND_CANCELLED and err.sent is False:
                    # Its next request was not sent: the task is being stopped.
                    record.outcome = NOT_ATTEMPTED
                    record.reason = "not attempted: the task was stopped before this campaign's change was made"
                else:
                    record.outcome, record.reason = FAILED, err.msg
                if not concerns_one_campaign(err):
                    self._halt(err)
        try:
            self.pool.map(task, records)
        except IsalesError as err:  # the pool dropped calls: the task is being stopped
            self._halt(err)

    def _halt(self, err):
        """Start no more work: err concerns every campaign (the first such failure is the task's)."""
        with self._lock:
            if self.fatal is None:
                self.fatal = err
        self.halt.set()

    def _read(self, client, record):
        """The campaign's policy (record.before), the campaign then READ; skipped when the rollout leaves it
        alone."""
        try:
            data, call = get_policy(client, self.vdn_id, record.campaign["id"])
        except IsalesError as err:
            if vanished(err) and not self.explicit:
                record.outcome, record.reason = SKIPPED, "the campaign vanished between the list and its read"
                return
            raise
        record.before = read_policy(data, call)
        why = unusable(record.before)
        record.outcome, record.reason = (SKIPPED, why) if why else (READ, None)

    def _converge(self, client, record):
        """Plan the campaign (read) and write it when it differs: check mode marks it changed, as planned.

        A write is planned from a read made just before it: the settle read of another run (a pause of about
        twice its write's round trip) only catches a write planned from a read that recent. So the policy of
        a campaign named explicitly, read with all the others before the first write, is read again."""
        target = self._plan(record)
        if target is None:
            return
        if self.check_mode:
            record.outcome, record.after = CHANGED, target
            return
        if self._halted():
            return
        if self.explicit:
            self._read(client, record)
            if self._plan(record) is None:
                return  # another writer made the change meanwhile, or the campaign cannot take it any more
        # Imported here: a task that changes nothing does not compile the writer.
        from ansible_collections.huawei.isales.plugins.module_utils._retry_policy_writer import (  # pylint: disable=import-outside-toplevel
            PolicyWriter,
        )
        sent = len(client.writes)
        try:
            after = PolicyWriter(client, self.vdn_id, record.campaign).converge(record.before, self.want)
        except IsalesError:
            # A write the server confirmed, then a failure (reading it back, a stop): the campaign was written.
            record.written = any(write["outcome"] == "done" for write in client.writes[sent:])
            raise
        record.after = after
        record.outcome = CHANGED if view(after) != view(record.before) else UNCHANGED

    def _plan(self, record):
        """The policy a READ campaign is to be written as (the campaign then not_attempted until it is written),
        or None: not read, or unchanged (marked so)."""
        if record.outcome != READ:
            return None
        target = planned(record.before, self.want, record.campaign)
        record.outcome = UNCHANGED if target is record.before else NOT_ATTEMPTED
        return None if target is record.before else target

    def run(self, campaigns):
        """The records of campaigns, in their order, after the rollout.

        Over every campaign each campaign is read, planned and written in one go, in parallel. Campaigns
        named explicitly are all read first: one without a policy or with a number-type one fails the task
        before any write (self.refused, marked failed)."""
        records = [Record(campaign) for campaign in campaigns]
        if self.explicit:
            self._each(records, self._read)
            self.refused = [record for record in records if record.outcome == SKIPPED]
            for record in self.refused:
                record.outcome = FAILED
            if self.fatal is None and not self.refused:
                self._each(records, self._converge)
        else:
            self._each(records, lambda client, record: self._read(client, record) or self._converge(client, record))
        for record in records:
            self._plan(record)  # read, but not reached: unchanged, or not attempted when it needed the change
        if self.fatal is None and self._halted() and any(record.outcome == NOT_ATTEMPTED for record in records):
            self.fatal = IsalesError("the task is being stopped", KIND_CANCELLED, sent=False)
        return records


def refusal_message(refused):
    """The message of a task that names campaigns a rollout cannot change."""
    return ("nothing was written: %s. Name only campaigns with a global retry policy (all_campaigns: true skips the "
            "others and reports them)" % "; ".join("campaign %s (%s): %s" % (
                record.campaign["id"], record.campaign["name"], record.reason) for record in refused))


def counts(records):
    """How many campaigns ended in each outcome."""
    out = dict((outcome, 0) for outcome in OUTCOMES)
    for record in records:
        out[record.outcome] += 1
    return out


def dangling_warning(records, results, vdn_id, most=20):
    """One warning for every campaign whose no-retry list names codes no external result has, or None."""
    found = []
    for record in records:
        if record.before is not None and record.before.exists:
            gone = dangling(record.before, results)
            if gone:
                found.append("%s: %s" % (record.campaign["id"], ", ".join(gone)))
    if not found:
        return None
    return ("the no-retry lists of %d campaign(s) name result codes no external result of VDN %s has (they are kept): "
            "%s%s" % (len(found), vdn_id, "; ".join(found[:most]), "; ..." if len(found) > most else ""))


def failure_message(records, fatal=None):
    """The message of a rollout that did not finish: the failure that stopped it (fatal), when one did, and
    what happened to each campaign that is not done."""
    tally = counts(records)
    failed = [record for record in records if record.outcome == FAILED]
    parts = []
    if fatal is not None:
        where = [record.campaign for record in records if record.error is fatal]
        parts.append("the rollout stopped%s: %s" % (
            " at campaign %s (%s)" % (where[0]["id"], where[0]["name"]) if where else "", fatal.msg.rstrip(".")))
        failed = [record for record in failed if record.error is not fatal]
    if failed:
        parts.append("%d of %d campaigns failed (%s%s)" % (
            len(failed), len(records),
            "; ".join("campaign %s (%s, %s): %s" % (record.campaign["id"], record.campaign["name"],
                                                    record.campaign["status"], record.reason.rstrip("."))
                      for record in failed[:10]),
            "; and %d more, in campaigns" % (len(failed) - 10) if len(failed) > 10 else ""))
    if not parts:
        parts.append("the rollout did not finish")
    return ("%s. Written: %d, unchanged: %d, skipped: %d, failed: %d, not attempted: %d (each campaign's outcome is "
            "in campaigns). Run the task again: it converges."
            % (". ".join(parts), tally[CHANGED], tally[UNCHANGED], tally[SKIPPED], tally[FAILED],
               tally[NOT_ATTEMPTED]))
