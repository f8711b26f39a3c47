# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""External results ("non-retry policies"): validation, matching, planning and
converging, with no Ansible objects, so that every decision is testable.

One external result has these shapes, named the same everywhere:

* listed: as the list call shows it (_api_ob_results.list_results):
  {defId, displayResult, resultCode ("" when none)}.
* detail: as the detail call shows it (_api_ob_results.get_result):
  {defId, displayResult, resultCode, obsCodes}.
* state: what the modules reason with, from state_from_listed() or
  state_from_detail(): {defId, display_result, result_code (None when none),
  obs_codes (sorted, distinct; None when not read), vdn_id}.
* compared: the part of a state that decides `changed` and that a diff shows:
  compared(state).
* public: a state as the modules return it: public(state).

A task manages a result by its identity: its result code when it has one, else its
display text (identity(), index_listing()). The ideas the single and the bulk module
share live here once: reading a listing again while it shows copies (read_settled()),
reducing identical copies to the lowest defId (resolve_copies()), keeping the result
code a write did not name (with_result_code()), reading one result again by its defId
(ObResultManager.reread_by_def_id()); reconciling a write is ObResultWriter.apply()
(_ob_result_writer.py).

Private module_utils: may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import unicodedata

from ansible_collections.huawei.isales.plugins.module_utils import _api_ob_results as api
from ansible_collections.huawei.isales.plugins.module_utils._errors import ResourceError

RESULT_CODE_MAX = 7

# After a write that may still be in flight (timeout, 504), the state is read this many
# more times, `timeout` seconds apart, before the write counts as not having happened.
SETTLE_READS = 2

# A listing that shows several results for the identity a task manages is read this many
# times in all, DUPLICATE_PAUSE seconds apart, before the copies are judged: a race between
# runs may be resolving itself meanwhile.
DUPLICATE_READS = 3
DUPLICATE_PAUSE = 1.0

CREATE = "create"
UPDATE = "update"
DELETE = "delete"


def normalize_codes(codes):
    """OBS codes as a sorted list without duplicates: order and repeats do not matter."""
    return sorted(set(codes or []))


# Unicode categories that break a line or control a terminal: controls, and the line and paragraph
# separators (U+2028, U+2029) that some tools show as line breaks.
_BREAKING = frozenset(("Cc", "Zl", "Zp"))


def _control_characters(text):
    return sorted(set("U+%04X" % ord(char) for char in text if unicodedata.category(char) in _BREAKING))


def validate_fields(entry, require_display=True, require_codes=False, codes_needed_when="state=present",
                    prefix="", written=False):
    """Problems with one result's display_result, result_code and obs_codes, each naming its option.

    prefix goes before each message (e.g. "config item 3: " for an item of a list).
    written: the display text will be sent in a create or update. It must then not start or
    end with whitespace: a server that trims it would store another text than the one asked
    for, and every later run would miss it and create it again.
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
        elif written and display != display.strip():
            problems.append("%sdisplay_result must not start or end with whitespace, got %r" % (prefix, display))
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
    """Problems with isales_ob_result's own options, each naming its option; [] when all is well.

    Runs (with the checks of the shared options) before any request is sent.
    """
    problems = []
    if params.get("state", "present") == "present":
        problems.extend(validate_fields(params, require_codes=True, written=True))
    else:
        problems.extend(validate_fields(dict(params, obs_codes=None)))
    return problems


def compared(state):
    """The part of a state that decides 'changed' and that a diff shows ({} for no result);
    the OBS codes only when they were read."""
    if state is None:
        return {}
    out = {"display_result": state["display_result"], "result_code": state.get("result_code")}
    if state.get("obs_codes") is not None:
        out["obs_codes"] = normalize_codes(state["obs_codes"])
    return out


def public(state):
    """A state as the modules return it (None for no result)."""
    if state is None:
        return None
    codes = state.get("obs_codes")
    return {
        "defId": state.get("defId"),
        "display_result": state.get("display_result"),
        "result_code": state.get("result_code"),
        "obs_codes": None if codes is None else list(codes),
        "vdn_id": state.get("vdn_id"),
    }


def state_from_detail(detail, vdn_id):
    """A state from a result's detail."""
    return {
        "defId": detail["defId"],
        "display_result": detail["displayResult"],
        "result_code": detail["resultCode"] or None,
        "obs_codes": normalize_codes(detail["obsCodes"]),
        "vdn_id": vdn_id,
    }


def state_from_listed(item, vdn_id):
    """A state as far as the listing tells it: no OBS codes (obs_codes is None)."""
    return {
        "defId": item["defId"],
        "display_result": item["displayResult"],
        "result_code": item["resultCode"] or None,
        "obs_codes": None,
        "vdn_id": vdn_id,
    }


def identity(result_code, display_result):
    """The identity a task manages a result by: its result code when it has one, else its display text."""
    return ("result_code", result_code) if result_code else ("display_result", display_result)


def index_listing(listing):
    """{identity: [listed items]}: each item under its display text, and under its result code when it has one."""
    index = {}
    for item in listing:
        index.setdefault(identity(None, item.get("displayResult")), []).append(item)
        code = item.get("resultCode") or None
        if code:
            index.setdefault(identity(code, None), []).append(item)
    return index


def matching(listing, display_result, result_code=None):
    """The listed results with the identity a task manages."""
    return index_listing(listing).get(identity(result_code, display_result), [])


def same_text(listing, display_result):
    """The listed results that show display_result."""
    return matching(listing, display_result)


def lowest(results):
    """The result with the lowest defId (numeric order): the one that stays among copies."""
    return min(results, key=lambda result: int(result["defId"]))


def identical(states):
    """Whether results are copies of one another: same display text, result code and OBS codes."""
    return len(set(repr(sorted(compared(state).items())) for state in states)) == 1


def resolve_copies(states):
    """(the state that stays, the others by defId) when states are identical copies of one result: the
    lowest defId stays. None when they differ (then nobody can tell which one is meant)."""
    if not identical(states):
        return None
    keep = lowest(states)
    return keep, sorted((state for state in states if state is not keep), key=lambda state: int(state["defId"]))


def read_settled(read_listing, duplicated, sleep):
    """A listing, read again while duplicated(listing) (DUPLICATE_READS times in all, DUPLICATE_PAUSE
    seconds apart): another run may be removing its copy meanwhile. The last listing read."""
    for attempt in range(1, DUPLICATE_READS + 1):
        listing = read_listing()
        if not duplicated(listing) or attempt == DUPLICATE_READS:
            return listing
        sleep(DUPLICATE_PAUSE)
    return listing  # not reached: the loop returns on its last attempt


def with_result_code(after, before):
    """after, with before's result code when after names none: a write that does not name the result
    code keeps it (the server does not change a result code)."""
    if after is not None and before and not after.get("result_code"):
        return dict(after, result_code=before.get("result_code"))
    return after


def race_survivor(listing, display_result, own_def_id):
    """The listed result that stays when display_result shows more than once after this task created
    own_def_id: the lowest defId. None when the text is not duplicated or own_def_id is that one."""
    same = same_text(listing, display_result)
    if len(same) < 2:
        return None
    keep = lowest(same)
    return None if keep["defId"] == own_def_id else keep


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
    for item in same_text(listing, display_result):
        if str(item.get("defId")) != str(keep_def_id):
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
    """Converges one external result on one VDN; reads freely, writes (through ObResultWriter) only when
    asked and not in check mode.

    removed: the defIds this task deleted because they were copies of the result it manages
    (its own create when another run's copy has the lower defId, or identical copies found
    on the server).
    """

    def __init__(self, client, vdn_id, check_mode=False, guard=None):
        self.client = client
        self.vdn_id = vdn_id
        self.check_mode = check_mode
        self.removed = []
        # guard([states]): raises when the results must not be deleted (_references.check_deletes).
        self.guard = guard

    def state_of(self, def_id):
        return state_from_detail(api.get_result(self.client, self.vdn_id, def_id), self.vdn_id)

    def listing(self):
        return api.list_results(self.client, self.vdn_id)

    def reread_by_def_id(self, def_id):
        """(the state of result def_id, or None when the listing no longer shows it; the listing)."""
        listing = self.listing()
        if any(item["defId"] == def_id for item in listing):
            return self.state_of(def_id), listing
        return None, listing

    def read(self, desired, copies=None):
        """(current state or None, listing) from a fresh listing and, for a match, its detail.

        With copies (a list), a listing with several matches is read again (read_settled):
        another run may be removing its copy. Copies that persist and are identical are
        resolved: the lowest defId is the current state and the others are appended to
        `copies` for the caller to delete. Copies that differ are ambiguous.
        """
        key = identity(desired.get("result_code"), desired["display_result"])

        def duplicated(listing):
            return copies is not None and len(index_listing(listing).get(key, [])) > 1

        listing = read_settled(self.listing, duplicated, self.client.sleep)
        matches = index_listing(listing).get(key, [])
        if not matches:
            return None, listing
        if len(matches) == 1:
            return self.state_of(matches[0]["defId"]), listing
        resolved = None
        if copies is not None:
            resolved = resolve_copies([self.state_of(item["defId"]) for item in matches])
        if resolved is None:
            raise ambiguous_match(matches, desired["display_result"], desired.get("result_code"))
        copies.extend(resolved[1])
        return resolved[0], listing

    def ensure(self, desired, state):
        """Make the result match desired (state present) or go away (absent).

        Returns dict(changed, before, after, def_id, action, attempts, removed). A write whose
        outcome is unknown (connection lost, timeout, 5xx, unreadable answer) is never
        repeated blindly: the state is read again, and the write is only tried again when it
        provably did not happen, at most client.retries times; a create that may still land
        (timeout, 504) is never sent again. Identical copies of the result are removed, the
        lowest defId staying; after its own create, a task that finds a copy with a lower
        defId (another run's) removes its own. Before a delete the task asks for, guard (when
        set) may refuse it.

        When the result is as asked and has no copies, nothing more is done: the writing side
        (_ob_result_writer.py) is not even imported, so that a task that changes nothing does
        not compile it.
        """
        desired = dict(desired, vdn_id=self.vdn_id, obs_codes=normalize_codes(desired.get("obs_codes")))
        copies = []
        before, listing = self.read(desired, copies)
        if not copies and plan(before, listing, desired, state)[0] is None:
            return outcome(before, before, None, 0, [])
        if state == "absent" and before is not None and self.guard is not None:
            self.guard([before])  # copies share the result code of the one kept: they need no check
        return self.writer().converge(desired, state, before, listing, copies)

    def writer(self):
        """An ObResultWriter on the same client, VDN and check mode, sharing `removed`."""
        # Imported here: a task that writes nothing does not compile it.
        from ansible_collections.huawei.isales.plugins.module_utils._ob_result_writer import (  # pylint: disable=import-outside-toplevel
            ObResultWriter,
        )
        writer = ObResultWriter(self.client, self.vdn_id, check_mode=self.check_mode)
        writer.removed = self.removed
        return writer


def reference_guard(pool, vdn_id):
    """A guard for ObResultManager and BulkRun: refuses deleting results whose result code a campaign's retry
    policy names (_references.check_deletes), reading on pool() - called only once a delete is planned."""
    def guard(doomed):
        # Imported here: a task that deletes nothing does not compile the campaign and policy calls.
        from ansible_collections.huawei.isales.plugins.module_utils._references import (  # pylint: disable=import-outside-toplevel
            check_deletes,
        )
        check_deletes(pool(), vdn_id, doomed)
    return guard


def outcome(before, after, action, attempts, removed):
    """What ensure() returns: dict(changed, before, after, def_id, action, attempts, removed)."""
    result_id = None
    for candidate in (after, before):
        if candidate and candidate.get("defId"):
            result_id = candidate["defId"]
            break
    return dict(
        changed=compared(before) != compared(after) or bool(removed),
        before=before,
        after=after,
        def_id=result_id,
        action=action,
        attempts=attempts,
        removed=list(removed),
    )
