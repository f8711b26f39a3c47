# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The retry-policy calls of the OpenAPI: read a campaign's policy, replace it.

get_policy() returns the answer's `data` as it came (None for a campaign without a
policy: `data` null or empty); _retry_policy.py makes sense of it. set_policy()
sends a whole document: the server replaces what it had.

Private module_utils: may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.huawei.isales.plugins.module_utils._api_campaigns import campaign_id_problem
from ansible_collections.huawei.isales.plugins.module_utils._client import Call
from ansible_collections.huawei.isales.plugins.module_utils._errors import bad_answer

GET = Call("retry_policy.get", "GET", "/{vdn_id}/retryPolicy/{campaign_id}")
SET = Call("retry_policy.set", "POST", "/{vdn_id}/retryPolicy/{campaign_id}")


def _params(vdn_id, campaign_id, what):
    problem = campaign_id_problem(campaign_id)
    if problem:
        raise bad_answer(what, problem, campaign_id)
    return {"vdn_id": vdn_id, "campaign_id": campaign_id}


def get_policy(client, vdn_id, campaign_id):
    """(the campaign's policy as the server sent it - its `data` object, None when it has none - and
    "GET path", to name the call when the policy cannot be read)."""
    payload, call = client.send(GET, _params(vdn_id, campaign_id, "the retry policy request"))
    data = payload.get("data")
    if data in (None, {}, "", []):
        return None, call
    if not isinstance(data, dict):
        raise bad_answer(call, "a retry policy (data) that is not an object", data)
    return data, call


def set_policy(client, vdn_id, campaign_id, body):
    """Replace the campaign's policy with body ({policyType, policyJson, ...})."""
    return client.send(SET, _params(vdn_id, campaign_id, "the retry policy write"), body=body)[0]
