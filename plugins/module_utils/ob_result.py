# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""External results ("non-retry policies"): validation, matching, planning and
converging, with no Ansible objects, so that every decision is testable.

Private module_utils: may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import unicodedata

from ansible_collections.huawei.isales.plugins.module_utils.client import IsalesError

VDN_MIN = 1
VDN_MAX = 9999
RESULT_CODE_MAX = 7

# After a write that may still be in flight (timeout, 504), the state is read this many
# more times, `timeout` seconds apart, before the write counts as not having happened.
SETTLE_READS = 2

CREATE = "create"
UPDATE = "update"
DELETE = "delete"


class ResourceError(Exception):
    """A decision the module refuses to take (ambiguous match, duplicate display text...)."""

    def __init__(self, msg, **details):
        super(ResourceError, self).__init__(msg)
        self.msg = msg
        self.details = details


def normalize_codes(codes):
    """OBS codes as a sorted list without duplicates: order and repeats do not matter."""
    return sorted(set(codes or []))


def _control_characters(text):
    return sorted(set("U+%04X" % ord(char) for char in text if unicodedata.category(char) == "Cc"))


def validate_vdn(vdn_id):
    """Problems with a vdn_id, as a list of messages."""
    if vdn_id is None or not VDN_MIN <= vdn_id <= VDN_MAX:
        return ["vdn_id must be an integer from %d to %d, got %s" % (VDN_MIN, VDN_MAX, vdn_id)]
    return []


def validate_fields(entry, require_display=True, require_codes=False, codes_needed_when="state=present",
                    prefix=""):
    """Problems with one result's display_result, result_code and obs_codes, each naming its option.

    prefix goes before each message (e.g. "config item 3: " for an item of a list).
    """
    problems = []
    display = entry.get("display_result")
    if display is None or not display.strip():
        if display is not None or require_display:
            problems.append("%sdisplay_result must not be empty" % prefix)
    else:
        bad = _control_characters(display)
        if bad:
            problems.append("%sdisplay_result must not contain control characters (found %s)"
                            % (prefix, ", ".join(bad)))
    code = entry.get("result_code")
    if code is not None:
        if not code or len(code) > RESULT_CODE_MAX:
            problems.append("%sresult_code must be 1 to %d characters long, got %d"
                            % (prefix, RESULT_CODE_MAX, len(code)))
        elif code != code.strip() or _control_characters(code):
            problems.append("%sresult_code must not contain spaces or control characters, got %r" % (prefix, code))
    codes = entry.get("obs_codes")
    if require_codes and not codes:
        problems.append("%sobs_codes must list at least one OBS code when %s" % (prefix, codes_needed_when))
    elif codes is not None:
        if not codes:
            problems.append("%sobs_codes must list at least one OBS code" % prefix)
        empty = [index for index, value in enumerate(codes) if not (value or "").strip()]
        if empty:
            problems.append("%sobs_codes must not hold empty codes (items %s)"
                            % (prefix, ", ".join(str(i + 1) for i in empty)))
        bad = [value for value in codes if value and (value != value.strip() or _control_characters(value))]
        if bad:
            problems.append("%sobs_codes must not hold spaces or control characters (%s)"
                            % (prefix, ", ".join(repr(v) for v in bad)))
    return problems


def validate(params):
    """Problems with the resource options, each naming its option; [] when all is well.

    Runs before any request is sent.
    """
    problems = validate_vdn(params.get("vdn_id"))
    if params.get("state", "present") == "present":
        problems.extend(validate_fields(params, require_codes=True))
    else:
        problems.extend(validate_fields(dict(params, obs_codes=None)))
    return problems


def unknown_obs_codes(catalogue, codes):
    """The codes (sorted, distinct) that the OBS code catalogue (queryOBSResultCode items) lacks."""
    known = set(str(item.get("obsCode")) for item in catalogue if item.get("obsCode") is not None)
    return sorted(set(codes or []) - known)


def check_obs_codes(catalogue, codes, vdn_id):
    """Raise ResourceError naming the codes that are not in the VDN's OBS code catalogue."""
    unknown = unknown_obs_codes(catalogue, codes)
    if unknown:
        raise ResourceError(
            "obs_codes not in the OBS code catalogue of VDN %s: %s. Nothing was written; "
            "huawei.isales.isales_obs_code_info lists the codes the VDN knows."
            % (vdn_id, ", ".join(unknown)), unknown_obs_codes=unknown)


def catalogue_entry(item):
    """One queryOBSResultCode item as the modules return it."""
    code = item.get("obsCode")
    return {"obs_code": None if code is None else str(code), "description": item.get("obsCodeDesc")}


def summary(state):
    """The part of a result that the diff shows and that decides 'changed'."""
    if state is None:
        return {}
    return {
        "display_result": state["display_result"],
        "result_code": state.get("result_code"),
        "obs_codes": normalize_codes(state.get("obs_codes")),
    }


def from_detail(detail, vdn_id):
    """A result's state from a queryObsResultDetail obResult."""
    codes = [entry.get("failCode") for entry in detail.get("resultMapList") or [] if entry.get("failCode") is not None]
    return {
        "defId": str(detail.get("defId")),
        "display_result": detail.get("displayResult"),
        "result_code": detail.get("resultCode") or None,
        "obs_codes": normalize_codes(str(code) for code in codes),
        "vdn_id": vdn_id,
    }


def find(listing, display_result, result_code=None):
    """The listed result this task manages, or None.

    Identity is the result code when one is given, else the display text.
    More than one match is an error naming the defIds.
    """
    if result_code:
        matches = [item for item in listing if (item.get("resultCode") or None) == result_code]
    else:
        matches = [item for item in listing if item.get("displayResult") == display_result]
    if len(matches) > 1:
        raise ambiguous_match(matches, display_result, result_code)
    return matches[0] if matches else None


def ambiguous_match(matches, display_result, result_code=None, who="the module"):
    """The ResourceError for more than one listed result matching one identity."""
    what = "result code %r" % result_code if result_code else "display text %r" % display_result
    ids = ", ".join(str(item.get("defId")) for item in matches)
    return ResourceError(
        "%d external results have the %s (defIds %s); %s cannot tell which one to manage. "
        "Remove the extra ones, or set result_code to pick one." % (len(matches), what, ids, who),
        defIds=[str(item.get("defId")) for item in matches])


def text_conflict(listing, display_result, keep_def_id=None):
    """Another listed result that already shows display_result, or None."""
    for item in listing:
        if item.get("displayResult") == display_result and str(item.get("defId")) != str(keep_def_id):
            return item
    return None


def conflict_error(other, desired):
    code = other.get("resultCode") or None
    if code:
        how = ("to manage that result, set result_code: %r; or remove it first (state: absent, result_code: %r)"
               % (code, code))
    else:
        how = ("it has no result code and a result code cannot be added to an existing result: to keep it, "
               "leave result_code out; to replace it, remove it first (state: absent without result_code)")
    return ResourceError(
        "VDN %s already has an external result with the display text %r (defId %s, result code %s); display "
        "texts must stay unique, so a second one is not created. %s."
        % (desired["vdn_id"], desired["display_result"], other.get("defId"),
           repr(code) if code else "none", how[0].upper() + how[1:]),
        defId=str(other.get("defId")))


def plan_write(current, desired, state):
    """The write that turns current into desired, as (action, def_id); (None, def_id) when none is needed.

    No uniqueness checks: plan() adds them for one result, the bulk planner for a whole VDN.
    state is "absent" (delete current) or anything else (make current equal desired).
    """
    if state == "absent":
        return (DELETE, current["defId"]) if current else (None, None)
    if current is None:
        return CREATE, None
    if (current["display_result"] == desired["display_result"]
            and normalize_codes(current["obs_codes"]) == normalize_codes(desired["obs_codes"])):
        return None, current["defId"]
    return UPDATE, current["defId"]


def plan(current, listing, desired, state):
    """The write to make, as (action, def_id), or (None, def_id) when nothing is to do."""
    action, def_id = plan_write(current, desired, state)
    if action == CREATE:
        other = text_conflict(listing, desired["display_result"])
        if other:
            raise conflict_error(other, desired)
    elif action == UPDATE and current["display_result"] != desired["display_result"]:
        other = text_conflict(listing, desired["display_result"], keep_def_id=current["defId"])
        if other:
            raise conflict_error(other, desired)
    return action, def_id


class ObResultManager(object):
    """Converges one external result on one VDN; reads freely, writes only when asked and not in check mode."""

    def __init__(self, client, vdn_id, check_mode=False):
        self.client = client
        self.vdn_id = vdn_id
        self.check_mode = check_mode

    def read(self, desired):
        """(current state or None, listing) from a fresh listing and, for a match, its detail."""
        listing = self.client.list_results(self.vdn_id)
        match = find(listing, desired["display_result"], desired.get("result_code"))
        if match is None:
            return None, listing
        return from_detail(self.client.get_result(self.vdn_id, match.get("defId")), self.vdn_id), listing

    def _write(self, action, def_id, desired):
        """One write; the state it leaves."""
        if action == CREATE:
            payload = self.client.create_result(
                self.vdn_id, desired["display_result"], desired["obs_codes"], desired.get("result_code"))
            def_id = payload.get("defId")
            if not def_id:
                raise IsalesError("the server confirmed the create but returned no defId", "parse",
                                  call="POST createObResult", sent=True)
            return dict(desired, defId=str(def_id))
        if action == UPDATE:
            self.client.update_result(self.vdn_id, def_id, desired["display_result"], desired["obs_codes"])
            return dict(desired, defId=str(def_id))
        self.client.delete_result(self.vdn_id, def_id)
        return None

    def ensure(self, desired, state):
        """Make the result match desired (state present) or go away (absent).

        Returns dict(changed, before, after, def_id, action, attempts). A write whose
        outcome is unknown (connection lost, timeout, 5xx, unreadable answer) is
        never repeated blindly: the state is read again, and the write is only
        tried again when it provably did not happen, at most client.retries times.
        """
        desired = dict(desired, vdn_id=self.vdn_id, obs_codes=normalize_codes(desired.get("obs_codes")))
        before, listing = self.read(desired)
        done = self.apply(desired, before, lambda current, fresh: plan(current, fresh, desired, state),
                          listing=listing)
        after, current = done["after"], done["current"]
        if after is not None and state == "present" and not after.get("result_code") and current:
            after = dict(after, result_code=current.get("result_code"))
        result_id = None
        for candidate in (after, before):
            if candidate and candidate.get("defId"):
                result_id = candidate["defId"]
                break
        return dict(
            changed=summary(before) != summary(after),
            before=before,
            after=after,
            def_id=result_id,
            action=done["action"],
            attempts=done["attempts"],
        )

    def apply(self, desired, current, replan, listing=None, reread=None):
        """Carry out the write replan(current, listing) asks for, reconciling ambiguous failures.

        replan(current, listing) -> (action, def_id), with action None when nothing is to do.
        reread() -> (current, listing), a fresh read of the server's state; by default
        read(desired). A write whose outcome is unknown is followed by a reread and is
        only tried again when replan says it is still needed, at most client.retries
        more times. In check mode nothing is written.

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
            last_error = self._try_write(action, def_id, desired)
            if isinstance(last_error, dict) or last_error is None:
                after = last_error
                break
            current, listing = self._reread_after(action, desired, last_error, reread)
            action_again, def_id_again = replan(current, listing)
            settle_reads = 0
            while action_again is not None and last_error.in_flight and settle_reads < SETTLE_READS:
                # The server may still be working on the write: give it `timeout` more seconds
                # (twice) to land before concluding that it did not happen.
                settle_reads += 1
                self.client.sleep(self.client.timeout)
                current, listing = self._reread_after(action, desired, last_error, reread)
                action_again, def_id_again = replan(current, listing)
            if action_again is None:
                after = current
                break
            if attempts > self.client.retries:
                raise IsalesError(
                    "%s of the external result %r on VDN %s failed after %d %s; after each failure the "
                    "server's state was read again and showed the %s had not happened. Last cause: %s"
                    % (action, desired["display_result"], self.vdn_id, attempts, "try" if attempts == 1 else "tries",
                       action, last_error.msg),
                    last_error.kind, call=last_error.call, status=last_error.status,
                    return_code=last_error.return_code, return_desc=last_error.return_desc, attempts=attempts)
            self.client.pause(attempts, last_error)
            action, def_id = action_again, def_id_again
        return dict(after=after, current=current, action=action_done, attempts=attempts)

    def _try_write(self, action, def_id, desired):
        """The state a write leaves, or the IsalesError of a write whose outcome is unknown."""
        try:
            return self._write(action, def_id, desired)
        except IsalesError as err:
            if not err.ambiguous:
                raise
            return err

    def _reread_after(self, action, desired, err, reread=None):
        try:
            return reread() if reread else self.read(desired)
        except IsalesError as reread_err:
            raise IsalesError(
                "the %s of the external result %r on VDN %s may or may not have happened (%s), and reading the "
                "server's state again failed too (%s). Nothing was written twice; run the task again once the "
                "server answers: it converges." % (action, desired["display_result"], self.vdn_id, err.msg,
                                                   reread_err.msg),
                reread_err.kind, call=reread_err.call, status=reread_err.status,
                return_code=reread_err.return_code, return_desc=reread_err.return_desc)
