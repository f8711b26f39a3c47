# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The campaign calls of the OpenAPI (read only), and the checks of their answers.

A campaign as the modules use it ("listed" shape): {id, name, status (the word),
status_code, device_type}. The list call pages by curPage / rowsPerPage (100 at
most), its rows come under one of several keys and a row's id and the total
under one of two names each (the vendor's pages disagree); a short page ends the
list only once the rows read reach the total the server reported, since a server
may ignore rowsPerPage. A campaign id is 1 to 32 letters, digits, "_" or "-"
before it goes into a path.

Private module_utils: may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.huawei.isales.plugins.module_utils._client import Call
from ansible_collections.huawei.isales.plugins.module_utils._errors import (
    CODE_NO_SUCH_CAMPAIGN,
    KIND_API,
    IsalesError,
    ResourceError,
    bad_answer,
    text_value,
)
from ansible_collections.huawei.isales.plugins.module_utils._paging import ListSpec, read_list

DETAIL = Call("campaign.detail", "GET", "/{vdn_id}/{campaign_id}")

# The status words of the modules, and the codes of the API (0: every status, in a list query).
STATUS_CODES = {"all": 0, "started": 2, "suspended": 3, "completed": 4}
STATUS_WORDS = dict((code, word) for word, code in STATUS_CODES.items() if code)

CAMPAIGN_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
CAMPAIGN_ID_MAX = 32


def campaign_id_problem(value):
    """Why value is not a campaign id (1 to 32 letters, digits, "_" or "-"), or None."""
    if not isinstance(value, str) or not 0 < len(value) <= CAMPAIGN_ID_MAX:
        return "a campaign id is 1 to %d characters" % CAMPAIGN_ID_MAX
    if not set(value) <= CAMPAIGN_ID_CHARS:
        return "a campaign id holds only letters, digits, '_' and '-'"
    return None


def check_campaign_id(value, call):
    """A campaign id from an answer, as text; IsalesError (parse) naming the call when it is not one."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        value = str(value)
    if campaign_id_problem(value) is None:
        return value
    raise bad_answer(call, "a campaign id that is not 1 to %d letters, digits, '_' or '-'" % CAMPAIGN_ID_MAX, value)


def _status(value, call):
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or value not in STATUS_WORDS:
        raise bad_answer(call, "a campaign status that is not 2, 3 or 4", value)
    return value


def campaign(row, call, campaign_id=None):
    """One campaign (list row or detail) in the listed shape; its id is campaign_id when the answer has none."""
    if not isinstance(row, dict):
        raise bad_answer(call, "a campaign that is not an object", row)
    ident = row.get("campaignId", row.get("id", campaign_id))
    code = _status(row.get("status"), call)
    device = row.get("deviceType")
    if isinstance(device, bool) or not isinstance(device, (int, type(None))):
        raise bad_answer(call, "a deviceType that is not an integer", device)
    return {"id": check_campaign_id(ident, call), "name": text_value(row.get("name"), call, "campaign name"),
            "status": STATUS_WORDS[code], "status_code": code, "device_type": device}


def list_spec(status="all", name=None):
    """The campaign list call for a status word and an optional name (which the server may match fuzzily)."""
    query = {"status": str(STATUS_CODES[status]), "deviceType": "0"}
    if name:
        query["name"] = name
    return ListSpec(Call("campaign.list", "GET", "/{vdn_id}"), campaign, "id",
                    rows_keys=("returnListObject", "returnObject", "data"), total_keys=("totalCount", "total"),
                    page_param="curPage", size_param="rowsPerPage", page_size=100, query=query, ends="total")


def list_campaigns(client, vdn_id, status="all", name=None, pool=None):
    """The VDN's campaigns of a status; with name, exactly those of that name (filtered here: the server's
    name filter may match fuzzily)."""
    campaigns = read_list(client, list_spec(status, name), {"vdn_id": vdn_id}, pool)
    return [item for item in campaigns if name is None or item["name"] == name]


def get_campaign(client, vdn_id, campaign_id):
    """One campaign, from its detail call."""
    problem = campaign_id_problem(campaign_id)
    if problem:
        raise bad_answer("the campaign detail request", problem, campaign_id)
    payload, call = client.send(DETAIL, {"vdn_id": vdn_id, "campaign_id": campaign_id})
    return campaign(payload.get("returnObject"), call, campaign_id)


# The returnCode of a call about a campaign that does not exist.
CODE_NO_CAMPAIGN = CODE_NO_SUCH_CAMPAIGN


def vanished(err):
    """Whether err says that the campaign a call was about does not exist (any more)."""
    return isinstance(err, IsalesError) and err.kind == KIND_API and err.return_code == CODE_NO_CAMPAIGN


def find_campaign(client, vdn_id, campaign_id=None, name=None):
    """The campaign a task names by its id or by its exact name; ResourceError when there is none, or when
    several have the name (each listed with its id and status)."""
    if campaign_id is not None:
        try:
            return get_campaign(client, vdn_id, campaign_id)
        except IsalesError as err:
            if vanished(err):
                raise ResourceError("VDN %s has no campaign %s (returnCode %s)" % (vdn_id, campaign_id, err.return_code),
                                    campaign_id=campaign_id)
            raise
    matches = list_campaigns(client, vdn_id, name=name)
    if not matches:
        raise ResourceError("VDN %s has no campaign named %r" % (vdn_id, name), campaign_name=name)
    if len(matches) > 1:
        raise ResourceError(
            "%d campaigns of VDN %s are named %r: %s; name the one meant by campaign_id"
            % (len(matches), vdn_id, name, ", ".join("%s (%s)" % (item["id"], item["status"]) for item in matches)),
            campaigns=matches)
    return matches[0]
