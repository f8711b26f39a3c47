# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The admin API of campaigns: /__sim/campaigns (seed, read, delete) and /__sim/campaign-config (the per-VDN
switches).  A handler takes (query params, JSON body) and returns (status, JSON answer); ValueError is a 400."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools
import json

from sim_resources.campaigns import campaigns
from sim_resources.common import admin_items, admin_vdn


def handlers(store):
    """{(method, name under /__sim/): handler} of the campaign admin calls."""
    table = {("GET", "campaigns"): _dump, ("POST", "campaigns"): _seed, ("DELETE", "campaigns"): _delete,
             ("GET", "campaign-config"): _config, ("POST", "campaign-config"): _configure}
    return {key: functools.partial(handler, store) for key, handler in table.items()}


def _dump(store, params, _data):
    if params.get("vdn"):
        vdn_id = admin_vdn(params["vdn"])
        return 200, {"vdnId": vdn_id, "campaigns": campaigns(store).dump([vdn_id])[str(vdn_id)]}
    part = campaigns(store)
    return 200, {"vdns": part.dump(sorted(part.vdn_ids()))}


def _seed(store, _params, data):
    vdn_id, items = admin_items(data, "campaigns")
    return 200, {"vdnId": vdn_id, "campaignIds": campaigns(store).seed(vdn_id, items)}


def seed_file(store, path):
    """Seed the campaigns of a file: a JSON list of /__sim/campaigns bodies (the simulator's --campaigns)."""
    with open(path, encoding="utf-8") as handle:
        bodies = json.load(handle)
    if not isinstance(bodies, list):
        raise ValueError("%s: a JSON list of {vdnId, campaigns} objects is expected" % path)
    for body in bodies:
        _seed(store, {}, body)


def _delete(store, params, _data):
    """The campaigns (with their policies) of one VDN or of all; the switches stay."""
    part = campaigns(store)
    for vdn_id in [admin_vdn(params["vdn"])] if params.get("vdn") else part.vdn_ids():
        part.remove_vdn(vdn_id)
    return 200, {"status": "deleted"}


def _config(store, params, _data):
    vdn_id = admin_vdn(params.get("vdn"))
    return 200, dict(campaigns(store).switches(vdn_id), vdnId=vdn_id)


def _configure(store, _params, data):
    if not isinstance(data, dict):
        raise ValueError("the request body must be a JSON object")
    changes = dict(data)
    vdn_id = admin_vdn(changes.pop("vdnId", None))
    return 200, dict(campaigns(store).configure(vdn_id, changes), vdnId=vdn_id)
