#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: isales_retry_policies
short_description: Roll a no-retry rule out to many campaigns of a CC-iSales VDN in one task
version_added: 1.1.0
description:
  - Puts external results in (or takes them out of) the no-retry list of many outbound campaigns of a VDN at once -
    the campaigns named by O(campaign_ids) and O(campaign_names), or every campaign (O(all_campaigns)), optionally
    of one O(status). For one campaign, and for the rest of a policy, see M(huawei.isales.isales_retry_policy).
  - Reads the campaign list and the VDN's external results once; then reads each selected campaign's policy, plans
    it on its own exactly as M(huawei.isales.isales_retry_policy) does, and writes it only when it differs - read,
    plan and write in one go, so that a write is planned from a fresh read. Campaigns named by O(campaign_ids) or
    O(campaign_names) are all read before the first write, and the ones to change are read again just before
    their write. A write sends the campaign's whole document with every key the module does not manage carried
    over as read; it is read back, settled and re-planned as in M(huawei.isales.isales_retry_policy).
  - Reads and writes run in parallel, at most O(max_workers) at a time - writes included, since each campaign's
    policy is a document of its own (unlike the one list of external results of a VDN, which
    M(huawei.isales.isales_ob_results) writes one result at a time by default).
  - With O(all_campaigns), a campaign without a retry policy (a rollout does not create policies wholesale;
    M(huawei.isales.isales_retry_policy) does) and a campaign with a number-type policy (C(policyType) 1, which
    cannot carry no-retry results) are skipped and reported. Named by O(campaign_ids) or O(campaign_names), either
    fails the task before any write.
  - A failure that concerns one campaign (the server refusing its change - for instance in its current status -,
    an answer about it that cannot be used, another writer replacing its policy after each of 3 writes) is
    recorded in RV(campaigns) and the rollout goes on. A failure that concerns every campaign (authentication,
    TLS, the connection, timeouts or 5xx answers once O(retries) are spent, a stopped task) stops new work at
    once; requests in flight end. The task then fails, and RV(campaigns) and RV(counts) say for each campaign
    whether it was written, unchanged, skipped, failed (with the reason) or not attempted. A re-run converges.
author:
  - huawei.isales contributors (@huawei-isales)
extends_documentation_fragment:
  - huawei.isales.connection
  - huawei.isales.attributes
  - huawei.isales.attributes.vdn
  - huawei.isales.attributes.no_retry
  - huawei.isales.attributes.workers
attributes:
  check_mode:
    description: Reads every campaign, the results and the policies, and predicts each campaign's outcome exactly;
      never writes.
    support: full
  diff_mode:
    description: Shows each changed campaign's policy (RV(campaigns[].retry_policy)'s shape) before and after.
    support: full
options:
  campaign_ids:
    description:
      - The campaigns, by id (1 to 32 letters, digits, C(_) or C(-)); each must exist.
      - May be given with O(campaign_names); a campaign named twice is handled once. An empty list is refused.
    type: list
    elements: str
  campaign_names:
    description:
      - The campaigns, by exact name; each name must match exactly one campaign (otherwise the task fails before
        any write, listing each match's id and status).
    type: list
    elements: str
  all_campaigns:
    description:
      - Every campaign of the VDN (of O(status)), read from the campaign list. Mutually exclusive with
        O(campaign_ids) and O(campaign_names), one of which is required otherwise.
    type: bool
    default: false
  status:
    description:
      - With O(all_campaigns), only the campaigns in this status. Defaults to V(all).
    type: str
    choices: [all, completed, started, suspended]
  clear_all:
    description:
      - Confirms O(purge=true) with empty O(no_retry_result_codes) and O(no_retry_display_results) over
        O(all_campaigns), which empties the no-retry list of every campaign (of O(status)); without it, that is
        refused before any request. Not allowed otherwise.
    type: bool
    default: false
notes:
  - Requests per run, for C(C) campaigns on the list (C(S) selected) and C(N) external results, of which the task
    writes C(W) campaigns - C(ceil(C/100)) + C(ceil(N/50)) + C(S) reads, and C(W) writes each followed by two reads
    (the read-back and the settle read); campaigns named by id or name add one read per campaign written.
  - The max_workers limit applies to writes too.
seealso:
  - module: huawei.isales.isales_retry_policy
  - module: huawei.isales.isales_retry_policy_info
  - module: huawei.isales.isales_campaign_info
  - module: huawei.isales.isales_ob_result
"""

EXAMPLES = r"""
- name: No campaign of VDN 12 ever retries a number that ended in "Do not call"
  huawei.isales.isales_retry_policies:
    vdn_id: 12
    all_campaigns: true
    no_retry_display_results:
      - "Do not call"
  register: rollout

- name: The campaigns that were skipped, and why
  ansible.builtin.debug:
    msg: "{{ rollout.campaigns | selectattr('skipped') | map(attribute='reason') | list }}"

- name: Two named campaigns no longer skip retries after result "012"
  huawei.isales.isales_retry_policies:
    vdn_id: 12
    campaign_names: ["Spring renewals", "Autumn survey"]
    no_retry_result_codes: ["012"]
    state: absent

- name: Empty the no-retry list of every suspended campaign
  huawei.isales.isales_retry_policies:
    vdn_id: 12
    all_campaigns: true
    status: suspended
    no_retry_result_codes: []
    purge: true
    clear_all: true
"""

RETURN = r"""
campaigns:
  description: Every selected campaign, in the campaign list's order, with what the task did to it.
  returned: always, also when the task fails once the campaigns' policies were read
  type: list
  elements: dict
  contains:
    campaign_id:
      description: The campaign's id.
      type: str
    campaign_name:
      description: The campaign's name.
      type: str
    campaign_status:
      description: V(started), V(suspended) or V(completed).
      type: str
    outcome:
      description: V(changed), V(unchanged), V(skipped), V(failed) or V(not_attempted) - the keys of RV(counts).
      type: str
    changed:
      description: Whether the campaign's policy was written (or would be, in check mode).
      type: bool
    skipped:
      description: Whether the campaign was left alone on purpose (no policy, a number-type policy, vanished).
      type: bool
    failed:
      description: Whether the campaign failed; RV(campaigns[].reason) says why.
      type: bool
    reason:
      description: Why the campaign was skipped, failed or not attempted; V(null) otherwise.
      type: str
    retry_policy:
      description:
        - The policy after the task (as planned, in check mode; as last read for a campaign that failed), in the
          shape of RV(huawei.isales.isales_retry_policy#module:retry_policy); V(null) for a campaign without a
          policy, not read, or written but not read back (a failure or a stop right after its write; the reason
          says so).
      type: dict
  sample: [{"campaign_id": "1001", "campaign_name": "Spring renewals", "campaign_status": "started",
            "outcome": "changed", "changed": true, "skipped": false, "failed": false, "reason": null,
            "retry_policy": {"policy_type": "global", "strategy": "common", "retry_days": 3,
                             "retry_times_per_day": 2, "result_policies": [], "no_retry_result_codes": ["007"],
                             "no_retry_results": [{"result_code": "007", "display_result": "Do not call",
                                                   "defId": "1645244637"}]}}]
counts:
  description: How many campaigns ended in each outcome.
  returned: always, also when the task fails once the campaigns' policies were read
  type: dict
  contains:
    changed:
      description: Campaigns written (or that would be).
      type: int
    unchanged:
      description: Campaigns already as asked.
      type: int
    skipped:
      description: Campaigns left alone on purpose.
      type: int
    failed:
      description: Campaigns that failed.
      type: int
    not_attempted:
      description: Campaigns not reached, because a failure that concerns every campaign, or a stop, came first.
      type: int
  sample: {"changed": 148, "unchanged": 0, "skipped": 2, "failed": 0, "not_attempted": 0}
api_requests:
  description: How many API requests the task sent (reads and writes, retries included).
  returned: always
  type: int
  sample: 456
"""

from ansible_collections.huawei.isales.plugins.module_utils._api_campaigns import list_campaigns
from ansible_collections.huawei.isales.plugins.module_utils._api_ob_results import list_results
from ansible_collections.huawei.isales.plugins.module_utils._errors import ResourceError
from ansible_collections.huawei.isales.plugins.module_utils._module import IsalesModule
from ansible_collections.huawei.isales.plugins.module_utils._retry_policies import (
    CHANGED,
    FAILED,
    NOT_ATTEMPTED,
    OPTIONS,
    Rollout,
    counts,
    dangling_warning,
    failure_message,
    refusal_message,
    select,
    validate_rollout,
)
from ansible_collections.huawei.isales.plugins.module_utils._retry_policy import declared, view


def run(module):
    params = module.params
    vdn_id = params["vdn_id"]
    pool = module.pool()
    client = pool.client()
    status = (params["status"] or "all") if params["all_campaigns"] else "all"
    campaigns = select(list_campaigns(client, vdn_id, status=status, pool=pool), params)
    results = list_results(client, vdn_id, pool)
    want = declared(params, results)
    rollout = Rollout(pool, vdn_id, want, explicit=not params["all_campaigns"], check_mode=module.check_mode,
                      stop=module.stop)
    records = rollout.run(campaigns)
    for record in records:
        for warning in (record.before.warnings if record.before is not None else []):
            module.warn("campaign %s: %s" % (record.campaign["id"], warning))
    warning = dangling_warning(records, results, vdn_id)
    if warning:
        module.warn(warning)
    tally = counts(records)
    result = dict(changed=tally[CHANGED] > 0, campaigns=[record.report(results) for record in records],
                  counts=tally)
    if tally[FAILED] or tally[NOT_ATTEMPTED] or rollout.fatal is not None:
        raise failure(rollout, records, result)
    if module._diff:
        result["diff"] = [dict(before=view(record.before, results), after=view(record.after, results),
                               before_header="campaign %s (%s)" % (record.campaign["id"], record.campaign["name"]),
                               after_header="campaign %s (%s)" % (record.campaign["id"], record.campaign["name"]))
                          for record in records if record.outcome == CHANGED]
    return result


def failure(rollout, records, result):
    """The failure of a rollout that did not finish: the failure that stopped it (with its call, status and
    codes), or one that lists the campaigns that failed; what the task did, as its partial result."""
    unknown = [item for record in records if record.error is not None
               for item in getattr(record.error, "outcome_unknown", None) or []]
    err = rollout.fatal
    if err is None and rollout.refused:
        err = ResourceError(refusal_message(rollout.refused))
    elif err is None:
        err = ResourceError(failure_message(records))
    else:
        msg = failure_message(records, err)
        err.reword(msg)
        err.outcome_unknown = unknown
    err.partial = dict(result, outcome_unknown=unknown) if unknown else result
    return err


def main():
    IsalesModule(OPTIONS, validate=validate_rollout, workers=True).run(run)


if __name__ == "__main__":
    main()
