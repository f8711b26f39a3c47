# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A VDN's whole set of external results, declaratively (isales_ob_results).

Validation, matching and planning are pure functions over the listing and the
details that were read, so every decision is testable without HTTP; BulkRun
does the reading (concurrently, through a ClientPool) and the writing (through
ObResultWriter.apply, so that an ambiguous write failure is reconciled by
reading again, exactly as for a single result).

Private module_utils: may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading

from ansible_collections.huawei.isales.plugins.module_utils import _api_ob_results as api
from ansible_collections.huawei.isales.plugins.module_utils._api_obs_codes import check_obs_codes, list_obs_codes
from ansible_collections.huawei.isales.plugins.module_utils._common import workers_problems
from ansible_collections.huawei.isales.plugins.module_utils._errors import IsalesError, ResourceError
from ansible_collections.huawei.isales.plugins.module_utils._ob_result import (
    CREATE,
    DELETE,
    UPDATE,
    ambiguous_match,
    compared,
    conflict_error,
    identity,
    index_listing,
    normalize_codes,
    plan_write,
    public,
    read_settled,
    resolve_copies,
    state_from_detail,
    state_from_listed,
    validate_fields,
    with_result_code,
)
from ansible_collections.huawei.isales.plugins.module_utils._ob_result_writer import ObResultWriter

MERGED = "merged"
REPLACED = "replaced"
OVERRIDDEN = "overridden"
DELETED = "deleted"
STATES = (MERGED, REPLACED, OVERRIDDEN, DELETED)


def _label(index):
    return "config item %d" % (index + 1)


def validate_bulk(params):
    """Problems with isales_ob_results' own options, each naming its option; [] when all is well."""
    problems = workers_problems(params, ("write_workers",))
    state = params.get("state") or MERGED
    config = params.get("config") or []
    if state in (DELETED, OVERRIDDEN) and not config and not params.get("delete_all"):
        problems.append(
            "config is empty and state=%s, which would delete every external result of VDN %s: "
            "set delete_all: true to confirm that, or list the results in config" % (state, params.get("vdn_id")))
    if params.get("delete_all") and (state not in (DELETED, OVERRIDDEN) or config):
        problems.append("delete_all: true is only allowed with an empty config and state=deleted (or overridden)")
    texts = {}
    codes = {}
    for index, entry in enumerate(config):
        prefix = "%s: " % _label(index)
        if state in (REPLACED, OVERRIDDEN):
            problems.extend(validate_fields(entry, require_codes=True, codes_needed_when="state=%s" % state,
                                            prefix=prefix, written=True))
        else:
            if entry.get("display_result") is None and not entry.get("result_code"):
                problems.append("%sdisplay_result or result_code is required to identify the result" % prefix)
            fields = entry if state == MERGED else dict(entry, obs_codes=None)
            problems.extend(validate_fields(fields, require_display=False, prefix=prefix, written=state == MERGED))
        text = entry.get("display_result")
        if text is not None and text.strip():
            if text in texts:
                problems.append("%s and %s have the same display_result %r; display texts must be unique"
                                % (_label(texts[text]), _label(index), text))
            texts.setdefault(text, index)
        code = entry.get("result_code")
        if code:
            if code in codes:
                problems.append("%s and %s have the same result_code %r" % (_label(codes[code]), _label(index), code))
            codes.setdefault(code, index)
    return problems


def normalize_config(config):
    """The config entries with only the keys that matter, and obs_codes sorted and distinct (or None)."""
    out = []
    for entry in config or []:
        codes = entry.get("obs_codes")
        out.append({
            "display_result": entry.get("display_result"),
            "result_code": entry.get("result_code") or None,
            "obs_codes": None if codes is None else normalize_codes(codes),
        })
    return out


def match_config(config, listing):
    """[(entry index, listed item or None)], in config order.

    An entry is identified by its result_code when it has one, else by its display
    text. ResourceError when an entry matches more than one listed result, or two
    entries match the same one.
    """
    by_identity = index_listing(listing)
    pairs = []
    claimed = {}
    for index, entry in enumerate(config):
        matches = by_identity.get(identity(entry.get("result_code"), entry.get("display_result")), [])
        if len(matches) > 1:
            raise ambiguous_match(matches, entry.get("display_result"), entry.get("result_code"),
                                  who="%s of the module" % _label(index))
        item = matches[0] if matches else None
        if item is not None:
            def_id = str(item.get("defId"))
            if def_id in claimed:
                raise ResourceError(
                    "%s and %s both match the external result defId %s (display text %r, result code %s); "
                    "each result may be listed in config once"
                    % (_label(claimed[def_id]), _label(index), def_id, item.get("displayResult"),
                       repr(item.get("resultCode")) if item.get("resultCode") else "none"),
                    defId=def_id)
            claimed[def_id] = index
        pairs.append((index, item))
    return pairs


def duplicate_groups(config, listing):
    """The groups of listed results (two or more) that one config entry without a result code would
    match by its display text (result codes are unique on a server: an entry with one that matches
    several results is ambiguous, and match_config refuses it)."""
    index = index_listing(listing)
    groups = []
    for entry in config:
        if entry.get("result_code"):
            continue
        group = index.get(identity(None, entry.get("display_result")), [])
        if len(group) > 1 and group not in groups:
            groups.append(group)
    return groups


def details_needed(state, pairs, listing):
    """defIds whose detail (OBS codes) must be read: the matched results, to compare them, and every
    result the task will delete, so that what it returns as deleted is enough to create it again."""
    matched = [str(item.get("defId")) for _index, item in pairs if item is not None]
    if state == DELETED and not pairs:  # delete_all
        return [str(item.get("defId")) for item in listing]
    if state == OVERRIDDEN:
        taken = set(matched)
        return matched + [str(item.get("defId")) for item in listing if str(item.get("defId")) not in taken]
    return matched


class Op(object):
    """One planned write (or a result left as it is, action None)."""

    __slots__ = ("action", "def_id", "before", "after", "index", "copy")

    def __init__(self, action, def_id, before, after, index=None, copy=False):
        self.action = action
        self.def_id = def_id
        self.before = before
        self.after = after
        self.index = index
        # A delete of a copy of a result the task manages (reported in duplicates_removed).
        self.copy = copy

    def __repr__(self):
        return "Op(%s, %s)" % (self.action, self.def_id)


def desired_state(entry, current, state, vdn_id, index):
    """What a config entry asks the result to be after the task."""
    display = entry.get("display_result") or (current["display_result"] if current else None)
    codes = entry.get("obs_codes")
    if state == MERGED and current is not None:
        codes = normalize_codes(list(current.get("obs_codes") or []) + list(codes or []))
    if current is None and (display is None or not codes):
        missing = [name for name, value in (("display_result", display), ("obs_codes", codes)) if not value]
        raise ResourceError(
            "%s (result code %r) is not on VDN %s, and creating it needs %s"
            % (_label(index), entry.get("result_code"), vdn_id, " and ".join(missing)))
    return {
        "defId": current["defId"] if current else None,
        "display_result": display,
        "result_code": entry.get("result_code") or (current.get("result_code") if current else None),
        "obs_codes": normalize_codes(codes),
        "vdn_id": vdn_id,
    }


def plan_bulk(vdn_id, config, listing, pairs, details, state):
    """(writes in the order to make them, results left as they are).

    details: {defId: state from its detail} for (at least) the matched results.
    Raises ResourceError before any write when the end state would show a display
    text twice, or when display texts would have to be swapped.
    """
    ops = []
    unchanged = []

    def current_of(item):
        def_id = str(item.get("defId"))
        return details.get(def_id) or state_from_listed(item, vdn_id)

    if state == DELETED:
        targets = [item for _index, item in pairs if item is not None] if pairs else list(listing)
        for item in targets:
            before = current_of(item)
            ops.append(Op(DELETE, before["defId"], before, None))
        return ops, unchanged

    claimed = set()
    for index, item in pairs:
        current = None
        if item is not None:
            claimed.add(str(item.get("defId")))
            current = details[str(item.get("defId"))]
        desired = desired_state(config[index], current, state, vdn_id, index)
        action, def_id = plan_write(current, desired, "present")
        if action is None:
            unchanged.append(Op(None, def_id, current, current, index))
        else:
            ops.append(Op(action, def_id, current, desired, index))
    kept = []
    for item in listing:
        if str(item.get("defId")) in claimed:
            continue
        if state == OVERRIDDEN:
            before = current_of(item)
            ops.append(Op(DELETE, before["defId"], before, None))
        else:
            kept.append(item)
    _check_unique_texts(vdn_id, ops + unchanged, kept)
    return _ordered(ops), unchanged


def _check_unique_texts(vdn_id, entries, kept):
    """Refuse an end state in which a result created or renamed shows the text of another result."""
    owners = {}
    for item in kept:
        owners.setdefault(item.get("displayResult"), []).append(("kept", item))
    for op in entries:
        if op.after is not None:
            owners.setdefault(op.after["display_result"], []).append(("entry", op))
    for _text, holders in owners.items():
        if len(holders) < 2:
            continue
        for kind, op in holders:
            if kind != "entry":
                continue
            moving = op.action == CREATE or (op.action == UPDATE and op.before["display_result"] != op.after["display_result"])
            if not moving:
                continue
            for other_kind, other in holders:
                if other is op:
                    continue
                if other_kind == "kept":
                    raise conflict_error(other, op.after)
                raise ResourceError(
                    "%s and %s would both show the display text %r on VDN %s; display texts must stay unique"
                    % (_label(op.index), _label(other.index), op.after["display_result"], vdn_id))


def _ordered(ops):
    """The writes in a safe order: first the updates and creates that need no display text a delete
    frees (so that a refusal by the server stops the task before anything is deleted), then the
    deletes, then the updates and creates that take a freed text. Within each phase, an update
    that takes a text waits for the update that gives it up."""
    return [op for group in write_phases(ops) for op in group]


def write_phases(ops):
    """The writes of _ordered() as groups, each of which may run at once, the groups in order."""
    deletes = [op for op in ops if op.action == DELETE]
    blocked = _needs_a_freed_text(ops, set(op.before["display_result"] for op in deletes))
    first = [op for op in ops if op.action != DELETE and id(op) not in blocked]
    last = [op for op in ops if op.action != DELETE and id(op) in blocked]
    groups = _levels(first) + [deletes] + _levels(last)
    return [group for group in groups if group]


def _levels(ops):
    """Updates level by level (see update_levels), then creates."""
    return update_levels([op for op in ops if op.action == UPDATE]) + [[op for op in ops if op.action == CREATE]]


def _needs_a_freed_text(ops, freed):
    """ids of the creates and updates that must wait for a delete: they take a text a deleted
    result shows, or one that an update which itself waits gives up."""
    blocked = set()
    changed = True
    while changed:
        changed = False
        for op in ops:
            if op.action == DELETE or id(op) in blocked or op.after["display_result"] not in freed:
                continue
            blocked.add(id(op))
            changed = True
            if op.action == UPDATE and op.before["display_result"] != op.after["display_result"]:
                freed = freed | {op.before["display_result"]}
    return blocked


def update_levels(updates):
    """Updates grouped so that each group may run at once, groups in order.

    An update that takes display text t waits for the update that gives t up.
    A cycle (texts swapped) is refused: texts must stay unique at every step.
    """
    giving_up = {}
    for op in updates:
        if op.before["display_result"] != op.after["display_result"]:
            giving_up[op.before["display_result"]] = op
    waits_for = {}
    for op in updates:
        holder = giving_up.get(op.after["display_result"])
        if holder is not None and holder is not op:
            waits_for[id(op)] = holder
    levels = []
    done = set()
    pending = list(updates)
    while pending:
        level = [op for op in pending if id(waits_for.get(id(op))) in done or id(op) not in waits_for]
        if not level:
            ids = ", ".join(sorted(op.def_id for op in pending))
            raise ResourceError(
                "the display texts of the external results defIds %s would have to be exchanged; display texts "
                "must stay unique at every step, so do it in two runs (first give one of them a temporary "
                "text)" % ids, defIds=sorted(op.def_id for op in pending))
        levels.append(level)
        done.update(id(op) for op in level)
        pending = [op for op in pending if id(op) not in done]
    return levels


def diff_entry(op):
    """One result's part of the task's diff."""
    reference = op.after or op.before
    name = "external result %s (result code %s, defId %s)" % (
        repr(reference["display_result"]), repr(reference.get("result_code")) if reference.get("result_code") else "none",
        op.def_id or "new")
    return {"before": compared(op.before), "after": compared(op.after),
            "before_header": name, "after_header": name}


def report(ops, unchanged):
    """The task's created / updated / deleted / unchanged / duplicates_removed lists."""
    # Unchanged results are reported by defId only: a VDN has thousands of them, and every
    # container in a module's result costs time in Ansible (no_log masking, pickling).
    result = dict(created=[], updated=[], deleted=[], unchanged=[op.def_id for op in unchanged],
                  duplicates_removed=[])
    for op in ops:
        if op.copy:
            result["duplicates_removed"].append(op.def_id)
        elif op.action == CREATE:
            result["created"].append(public(op.after))
        elif op.action == UPDATE:
            result["updated"].append(public(op.after))
        elif op.action == DELETE:
            result["deleted"].append(public(op.before))
        else:  # the survivor of a race, already as asked
            result["unchanged"].append(op.def_id)
    return result


def _made(ops, done):
    """The ops done ({id(op): [the op as done, the deletes of copies it found]}), in the plan's order."""
    return [made for op in ops for made in done.get(id(op), [])]


class BulkRun(object):
    """Reads a VDN once, plans, and converges it."""

    def __init__(self, pool, vdn_id, check_mode=False, write_workers=1, guard=None):
        self.pool = pool
        self.vdn_id = vdn_id
        self.check_mode = check_mode
        self.write_workers = max(1, int(write_workers))
        self._lock = threading.Lock()
        # Deletes of this task's own creates that lost a race, once made.
        self.settled = []
        # The writes whose outcome a failure left unknown, from every worker.
        self.unknown = []
        # guard([states]): raises when the results must not be deleted (_ob_result.reference_guard).
        self.guard = guard

    def catalogue(self):
        return list_obs_codes(self.pool.client(), self.vdn_id, self.pool)

    def listing(self):
        return api.list_results(self.pool.client(), self.vdn_id, self.pool)

    def details(self, def_ids):
        vdn_id = self.vdn_id

        def read(client, def_id):
            return def_id, state_from_detail(api.get_result(client, vdn_id, def_id), vdn_id)
        return dict(self.pool.map(read, def_ids))

    def settled_listing(self, config):
        """The VDN's listing, and the identical copies (states) of results that config entries match.

        A listing in which an entry matches several results is read again (read_settled):
        another run may be removing its copy. Copies that persist and are identical are
        resolved, the lowest defId staying; the others are returned to be deleted and left out
        of the listing. Copies that differ stay: match_config refuses them.
        """
        listing = read_settled(self.listing, lambda fresh: bool(duplicate_groups(config, fresh)),
                               self.pool.client().sleep)
        copies = []
        for group in duplicate_groups(config, listing):
            resolved = resolve_copies(list(self.details([item["defId"] for item in group]).values()))
            if resolved is not None:
                copies.extend(resolved[1])
        gone = set(copy["defId"] for copy in copies)
        return [item for item in listing if item["defId"] not in gone], copies

    def plan(self, config, state, validate_obs_codes=False):
        """(ops, unchanged) from one listing and the details needed.

        Before any write: the OBS codes the task will write are checked against the VDN's
        catalogue (always when it creates or updates; with validate_obs_codes, even when it
        does not), the deletes are checked by guard (when set), and identical copies of a
        result it manages are planned for deletion.
        """
        listing, copies = self.settled_listing(config)
        pairs = match_config(config, listing)
        details = self.details(details_needed(state, pairs, listing))
        ops, unchanged = plan_bulk(self.vdn_id, config, listing, pairs, details, state)
        writes = [op for op in ops if op.action in (CREATE, UPDATE)]
        if state != DELETED and (writes or validate_obs_codes):
            wanted = set()
            for entry in ([config[op.index] for op in writes] if not validate_obs_codes else config):
                wanted.update(entry.get("obs_codes") or [])
            check_obs_codes(self.catalogue(), wanted, self.vdn_id)
        if self.guard is not None:
            # Every delete the task asks for, before its first write; a copy shares its result code with the
            # result kept, so deleting it needs no check.
            self.guard([op.before for op in ops if op.action == DELETE])
        copy_ops = [Op(DELETE, copy["defId"], copy, None, copy=True) for copy in copies]
        return _ordered(ops + copy_ops), unchanged

    def execute(self, ops):
        """Make the writes, in order (groups of independent ones at most write_workers at a time),
        then settle races: a result this task created whose display text another run created at the
        same time with a lower defId is deleted again, and the survivor stands in for it.

        Returns the ops done, in the plan's order, with their after state as the server confirmed
        it (a created result given up to a racer becomes an op of its own: action None, or an
        update). On the first failure the writes not yet started are not made, and the failure
        is raised with the ops done before it as its `done`.
        """
        if self.check_mode:
            return list(ops)
        done = {}
        try:
            for group in self._groups(ops):
                self.pool.map(lambda client, op: self._apply(client, op, done), group, size=self.write_workers)
            return self.settle_races(_made(ops, done))
        except (IsalesError, ResourceError) as err:
            err.done = _made(ops, done) + self.settled
            raise

    def converge(self, config, state, validate_obs_codes=False, diff=False):
        """The task: plan, write, and the result a module returns.

        A failure after some writes says what was done before it (in its message, and as its
        `partial` result: created, updated, deleted, duplicates_removed, changed).
        """
        ops, unchanged = self.plan(config, state, validate_obs_codes=validate_obs_codes)
        try:
            done = self.execute(ops)
        except (IsalesError, ResourceError) as err:
            made = report(err.done, unchanged)
            written = sum(len(made[key]) for key in ("created", "updated", "deleted", "duplicates_removed"))
            err.reword("%s. Before this failure the task created %d, updated %d and deleted %d results (returned in "
                       "created, updated and deleted); the writes after it were not made. Run the task again: it "
                       "converges." % (err.msg.rstrip("."), len(made["created"]), len(made["updated"]),
                                       len(made["deleted"])))
            err.partial = dict(made, changed=written > 0)
            if self.unknown:
                err.outcome_unknown = list(self.unknown)
            raise
        result = report(done, unchanged)
        result["changed"] = any(op.action for op in done)
        if diff:
            result["diff"] = [diff_entry(op) for op in done if op.action]
        return result

    def settle_races(self, done):
        """The race rule of ObResultWriter.settle_race for every result this task created, on one listing.

        A created result that another run's copy (lower defId) wins over is replaced in the ops by
        the delete of this task's copy and by the survivor (left as it is, or updated to what the
        entry asks).
        """
        created = [op for op in done if op.action == CREATE and op.after is not None]
        if not created:
            return done
        listing = self.listing()
        out = []
        for op in done:
            survivor = None
            if op in created:
                manager = ObResultWriter(self.pool.client(), self.vdn_id)
                survivor, after = manager.settle_race(dict(op.after), op.after, listing=listing)
            if survivor is None:
                out.append(op)
                continue
            lost = Op(DELETE, op.after["defId"], op.after, None, op.index, copy=True)
            self.settled.append(lost)
            action = UPDATE if compared(after) != compared(survivor) else None
            out.extend([lost, Op(action, survivor["defId"], survivor, after, op.index)])
        return out

    def _groups(self, ops):
        """Runs of ops that may go concurrently, in order (one run of all ops with one write worker)."""
        if self.write_workers == 1:
            return [ops]
        return write_phases(ops)

    def _apply(self, client, op, done):
        """One write through ObResultWriter.apply: an ambiguous failure is reconciled by reading again."""
        manager = ObResultWriter(client, self.vdn_id, check_mode=False)
        if op.action == DELETE:
            desired = dict(op.before, vdn_id=self.vdn_id)
            state = "absent"
        else:
            desired = dict(op.after)
            state = "present"

        def replan(current, _listing):
            return plan_write(current, desired, state)

        # Identical copies a read after a create of unknown outcome finds (it landed beside another run's):
        # the lowest defId stays, as at the start of a task.
        copies = []

        def reread():
            if op.action == CREATE:
                return manager.read(desired, copies)
            return manager.reread_by_def_id(op.def_id)

        try:
            outcome = manager.apply(desired, op.before, replan, reread=reread)
        except IsalesError as err:
            with self._lock:
                self.unknown.extend(err.outcome_unknown)
            raise
        after = with_result_code(outcome["after"], op.before)
        def_id = (after or {}).get("defId") or op.def_id
        with self._lock:
            done[id(op)] = [Op(op.action, def_id, op.before, after, op.index, copy=op.copy)]
        for copy in manager.remove_copies(copies, after):
            with self._lock:
                done[id(op)].append(Op(DELETE, copy["defId"], copy, None, op.index, copy=True))
