# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator's resources: one module each (its checks, its part of the store, its handlers), and ROUTES.

A route is (method, path template, call name, handler); the template is relative to API_BASE and its
{name} segments are path parameters.  A handler takes a common.Call and returns the JSON answer or
raises common.Rejected.  Every template starts with /{vdnId}, which the server checks before the handler.
A new resource is a module here plus its lines below.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from sim_resources import campaigns, ob_results, obs_codes, retry_policies

API_BASE = "/rest/isales/v1/openapi/campaigns"

ROUTES = (
    ("GET", "/{vdnId}/queryOBSResultCode", "obs_code.list", obs_codes.list_codes),
    ("GET", "/{vdnId}/queryOBSResults", "ob_result.list", ob_results.list_results),
    ("GET", "/{vdnId}/{defId}/queryObsResultDetail", "ob_result.detail", ob_results.detail),
    ("POST", "/{vdnId}/createObResult", "ob_result.create", ob_results.create),
    ("POST", "/{vdnId}/updateObResult", "ob_result.update", ob_results.update),
    ("DELETE", "/{vdnId}/{defId}/deleteObsResult", "ob_result.delete", ob_results.delete),
    ("GET", "/{vdnId}", "campaign.list", campaigns.list_campaigns),
    ("GET", "/{vdnId}/{campaignId}", "campaign.detail", campaigns.detail),
    ("GET", "/{vdnId}/retryPolicy/{campaignId}", "retry_policy.get", retry_policies.get),
    ("POST", "/{vdnId}/retryPolicy/{campaignId}", "retry_policy.set", retry_policies.set_policy),
)
