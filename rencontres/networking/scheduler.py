"""The bilateral-meeting scheduler: pure Python, plain data in and out, no Django.

Places accepted meetings into (slot, table) so that nobody is in two places at once, nobody
meets in a slot they marked unavailable, no slot holds more meetings than tables, and fixed
meetings stay where they are. Goal: the most total priority; then the most people with at
least one meeting. Also returns `bound`, a proven upper bound on the total priority any
schedule could place (a b-matching linear relaxation solved by HiGHS through SciPy).

Command line: python -m rencontres.networking.scheduler INPUT.json [--time-limit SECONDS]
prints the result as JSON; bad input prints a message and exits with code 2.
"""

import argparse
import json
import math
import sys
import time
from dataclasses import dataclass, field


class SchedulerInputError(ValueError):
    """The input breaks the contract; the message says where."""


@dataclass(eq=False)  # compared by identity: field-by-field equality was the search's cost
class Meeting:
    id: str
    people: tuple  # participant indices
    priority: float
    fixed_slot: int | None = None
    fixed_table: int | None = None
    allowed: int = 0  # bitmask of slots where every participant is available
    slot: int | None = None  # where it is placed, if it is
    index: int = 0
    order_key: tuple = field(default=(), repr=False)
    chosen: bool = True  # whether the bound's relaxation takes it (see upper_bound)


@dataclass
class Problem:
    slot_ids: list
    tables: int
    participant_ids: list
    meetings: list
    unavailable: list  # bitmask per participant


# Input -----------------------------------------------------------------------------------


def parse(data):
    """A Problem from the JSON-like input, or SchedulerInputError."""
    if not isinstance(data, dict):
        raise SchedulerInputError("the input must be a JSON object")
    slot_ids = data.get("slots")
    if not isinstance(slot_ids, list) or not slot_ids:
        raise SchedulerInputError('"slots" must be a non-empty list of slot ids')
    if len(set(map(repr, slot_ids))) != len(slot_ids):
        raise SchedulerInputError('"slots" holds the same id twice')
    if not all(isinstance(slot, str | int) for slot in slot_ids):
        raise SchedulerInputError("slot ids must be strings or integers")
    slot_index = {slot: index for index, slot in enumerate(slot_ids)}
    tables = data.get("tables")
    if not isinstance(tables, int) or isinstance(tables, bool) or tables < 1:
        raise SchedulerInputError('"tables" must be a positive integer')

    participant_ids, participant_index, unavailable = [], {}, []
    for number, participant in enumerate(data.get("participants") or []):
        if not isinstance(participant, dict) or "id" not in participant:
            raise SchedulerInputError(f"participant #{number + 1} has no id")
        pid = participant["id"]
        if not isinstance(pid, str | int) or pid in participant_index:
            raise SchedulerInputError(f"participant {pid!r} is listed twice or has a bad id")
        mask = 0
        for slot in participant.get("unavailable") or []:
            if slot not in slot_index:
                raise SchedulerInputError(f"participant {pid!r}: unknown slot {slot!r}")
            mask |= 1 << slot_index[slot]
        participant_index[pid] = len(participant_ids)
        participant_ids.append(pid)
        unavailable.append(mask)

    meetings, seen = [], set()
    for number, raw in enumerate(data.get("meetings") or []):
        if not isinstance(raw, dict) or "id" not in raw:
            raise SchedulerInputError(f"meeting #{number + 1} has no id")
        mid = raw["id"]
        if not isinstance(mid, str | int) or mid in seen:
            raise SchedulerInputError(f"meeting {mid!r} is listed twice or has a bad id")
        seen.add(mid)
        people = raw.get("participants")
        if not isinstance(people, list) or len(people) < 2:
            raise SchedulerInputError(f"meeting {mid!r} needs two or more participants")
        if len(set(map(repr, people))) != len(people):
            raise SchedulerInputError(f"meeting {mid!r} lists a participant twice")
        for person in people:
            if person not in participant_index:
                raise SchedulerInputError(f"meeting {mid!r}: unknown participant {person!r}")
        priority = raw.get("priority", 1)
        if (
            not isinstance(priority, int | float)
            or isinstance(priority, bool)
            or not math.isfinite(priority)
            or priority < 0
        ):
            raise SchedulerInputError(f"meeting {mid!r}: priority must be a number >= 0")
        meeting = Meeting(
            mid, tuple(participant_index[p] for p in people), priority, index=len(meetings)
        )
        fixed = raw.get("fixed")
        if fixed is not None:
            if not isinstance(fixed, dict) or fixed.get("slot") not in slot_index:
                raise SchedulerInputError(f"meeting {mid!r}: fixed slot is unknown")
            table = fixed.get("table")
            if not isinstance(table, int) or isinstance(table, bool) or not 1 <= table <= tables:
                raise SchedulerInputError(
                    f"meeting {mid!r}: fixed table must be between 1 and {tables}"
                )
            meeting.fixed_slot, meeting.fixed_table = slot_index[fixed["slot"]], table
        meetings.append(meeting)

    problem = Problem(slot_ids, tables, participant_ids, meetings, unavailable)
    all_slots = (1 << len(slot_ids)) - 1
    for meeting in meetings:
        blocked = 0
        for person in meeting.people:
            blocked |= unavailable[person]
        meeting.allowed = all_slots & ~blocked
    check_fixed(problem)
    return problem


def check_fixed(problem):
    places, busy = {}, {}
    for meeting in problem.meetings:
        if meeting.fixed_slot is None:
            continue
        slot = meeting.fixed_slot
        if not meeting.allowed >> slot & 1:
            raise SchedulerInputError(
                f"meeting {meeting.id!r} is fixed in slot {problem.slot_ids[slot]!r} where one "
                "of its participants is unavailable"
            )
        if (slot, meeting.fixed_table) in places:
            raise SchedulerInputError(
                f"meetings {places[slot, meeting.fixed_table]!r} and {meeting.id!r} are fixed "
                f"at the same table in slot {problem.slot_ids[slot]!r}"
            )
        places[slot, meeting.fixed_table] = meeting.id
        for person in meeting.people:
            if (person, slot) in busy:
                raise SchedulerInputError(
                    f"meetings {busy[person, slot]!r} and {meeting.id!r} are fixed in the same "
                    f"slot with participant {problem.participant_ids[person]!r}"
                )
            busy[person, slot] = meeting.id


# Search ----------------------------------------------------------------------------------


class Schedule:
    """Placed meetings, with per-person busy masks and per-slot loads, and cheap moves."""

    def __init__(self, problem):
        self.problem = problem
        self.slots = len(problem.slot_ids)
        self.busy = [0] * len(problem.participant_ids)  # slots where each person meets
        self.load = [0] * self.slots
        self.full = 0  # bitmask of the slots whose tables are all taken
        self.all_slots = (1 << self.slots) - 1
        self.in_slot = [set() for _ in range(self.slots)]
        self.person_meetings = [[] for _ in problem.participant_ids]
        self.journal = None  # when a list: every place/remove, so that a move can be undone
        # where[person][slot]: the meeting that person is in at that slot, if any
        self.where = [[None] * self.slots for _ in problem.participant_ids]
        for meeting in problem.meetings:
            for person in meeting.people:
                self.person_meetings[person].append(meeting)

    def free_slots(self, meeting, ignoring=None):
        """Bitmask of slots where `meeting` could go now (optionally as if `ignoring` left)."""
        taken = 0
        for person in meeting.people:
            taken |= self.busy[person]
        if ignoring is not None and ignoring.slot is not None:
            for person in meeting.people:
                if person in ignoring.people:
                    taken &= ~(1 << ignoring.slot)
        return meeting.allowed & ~taken & ~self.full

    def place(self, meeting, slot):
        if self.journal is not None:
            self.journal.append((meeting, None))
        meeting.slot = slot
        bit = 1 << slot
        for person in meeting.people:
            self.busy[person] |= bit
            self.where[person][slot] = meeting
        self.load[slot] += 1
        if self.load[slot] >= self.problem.tables:
            self.full |= bit
        self.in_slot[slot].add(meeting.index)

    def remove(self, meeting):
        if self.journal is not None:
            self.journal.append((meeting, meeting.slot))
        slot, bit = meeting.slot, 1 << meeting.slot
        for person in meeting.people:
            self.busy[person] &= ~bit
            self.where[person][slot] = None
        self.load[slot] -= 1
        self.full &= ~bit
        self.in_slot[slot].discard(meeting.index)
        meeting.slot = None

    def undo(self, journal):
        self.journal = None
        for meeting, old_slot in reversed(journal):
            if old_slot is None:  # it was placed: take it out
                self.remove(meeting)
            else:  # it was removed: put it back
                self.place(meeting, old_slot)

    def best_slot(self, mask, meeting):
        """Among free slots, the one least wanted by the participants' other meetings."""
        best, best_score = None, None
        for slot in range(self.slots):
            if not mask >> slot & 1:
                continue
            score = (self.load[slot], slot)
            if best_score is None or score < best_score:
                best, best_score = slot, score
        return best

    def blockers(self, meeting, slot):
        """The placed meetings that keep `meeting` out of `slot` (sharing a participant)."""
        found = {}
        for person in meeting.people:
            other = self.where[person][slot]
            if other is not None:
                found[other.index] = other
        return list(found.values())


def schedule(problem, time_limit=1.0, target=None, progress=None):
    """Place the meetings; returns the Schedule (meeting.slot set on the placed ones).
    The search stops early once the placed priority reaches `target` (a proven bound).
    `progress`, if given, is called now and then with the share of the time limit spent."""
    deadline = time.perf_counter() + time_limit
    state = Schedule(problem)
    for meeting in problem.meetings:
        if meeting.fixed_slot is not None:
            state.place(meeting, meeting.fixed_slot)

    # What the bound's relaxation takes first (it knows which of a popular person's meetings
    # to give up); then the most valuable; among equals, the hardest to place first (their
    # people have the fewest free slots for the most meetings).
    demand = [len(meetings) for meetings in state.person_meetings]
    free = [state.slots - bin(mask).count("1") for mask in problem.unavailable]
    pending = [m for m in problem.meetings if m.fixed_slot is None and m.allowed]
    for meeting in pending:
        pressure = max(demand[p] / max(free[p], 1) for p in meeting.people)
        meeting.order_key = (
            not meeting.chosen,
            -meeting.priority,
            -pressure,
            bin(meeting.allowed).count("1"),
        )
    pending.sort(key=lambda meeting: meeting.order_key)
    unplaced = []
    for meeting in pending:
        mask = state.free_slots(meeting)
        if mask:
            state.place(meeting, state.best_slot(mask, meeting))
        else:
            unplaced.append(meeting)

    improve(state, unplaced, deadline)
    perturb(state, unplaced, deadline, target, progress=progress, time_limit=time_limit)
    spread(state)
    return state


def spread(state):
    """The second goal: at equal total priority, more people with at least one meeting.
    A person left without any gets one of their meetings in, in place of meetings worth the
    same whose people all keep another meeting."""
    problem = state.problem
    count = [0] * len(problem.participant_ids)
    for meeting in problem.meetings:
        if meeting.slot is not None:
            for person in meeting.people:
                count[person] += 1
    for person, meetings in enumerate(state.person_meetings):
        if count[person]:
            continue
        for meeting in sorted(meetings, key=lambda m: -m.priority):
            if meeting.slot is not None or not meeting.allowed:
                continue
            if take_place(state, meeting, count):
                break


def take_place(state, meeting, count):
    """Put `meeting` in a slot by evicting meetings worth at most as much (its blockers, and one
    more meeting of the slot if no table is free), provided nobody loses their only meeting."""
    tables = state.problem.tables
    for slot in range(state.slots):
        if not meeting.allowed >> slot & 1:
            continue
        blockers = state.blockers(meeting, slot)
        if any(b.fixed_slot is not None for b in blockers):
            continue
        worth = sum(b.priority for b in blockers)
        if worth > meeting.priority:
            continue
        options = [blockers]
        if state.load[slot] - len(blockers) + 1 > tables:
            ids = {b.index for b in blockers}
            options = [
                [*blockers, other]
                for other in (state.problem.meetings[i] for i in state.in_slot[slot])
                if other.index not in ids
                and other.fixed_slot is None
                and worth + other.priority <= meeting.priority
            ]
        for evicted in options:
            after = {}
            for other in evicted:
                for person in other.people:
                    after[person] = after.get(person, count[person]) - 1
            for person in meeting.people:
                after[person] = after.get(person, count[person]) + 1
            if any(value < 1 for value in after.values()):
                continue  # someone would lose their only meeting
            for other in evicted:
                state.remove(other)
            state.place(meeting, slot)
            for person, value in after.items():
                count[person] = value
            return True
    return False


def improve(state, unplaced, deadline):
    """Place what the greedy left out, pass after pass while it gains:
    - a Kempe-chain swap: the meetings that block it in slot a trade places with the meetings
      of slot b they would clash with, and so on, until the set is closed; then it takes a;
    - failing that, it takes the place of blockers worth less, which wait their turn again."""
    while time.perf_counter() < deadline:
        gained = False
        unplaced.sort(key=lambda meeting: meeting.order_key)
        waiting = []
        for meeting in unplaced:
            if meeting.slot is not None:
                continue
            if time.perf_counter() > deadline:
                waiting.append(meeting)
                continue
            if insert(state, meeting, waiting):
                gained = True
            else:
                waiting.append(meeting)
        unplaced[:] = [meeting for meeting in waiting if meeting.slot is None]
        if not gained:
            break


def perturb(state, unplaced, deadline, target=None, seed=0, progress=None, time_limit=1.0):
    """Escape the local optimum: force a left-out meeting into a slot, evicting what blocks it,
    and let the evicted find new places; keep the change only if the total does not drop."""
    import random

    rng = random.Random(seed)
    unplaced[:] = [m for m in unplaced if m.slot is None and m.allowed]
    # Stop early when nothing has improved for a long while (small instances are done fast).
    patience = max(3000, 30 * len(state.problem.meetings))
    stale = 0
    total = sum(m.priority for m in state.problem.meetings if m.slot is not None)
    while unplaced and time.perf_counter() < deadline and stale < patience:
        if target is not None and total >= target:
            break  # proven optimal
        stale += 1
        if progress is not None and stale % 512 == 0:
            progress(1 - (deadline - time.perf_counter()) / time_limit)
        meeting = rng.choice(unplaced)
        # The slot where it evicts the least (random among equals).
        options = []
        for candidate in range(state.slots):
            if meeting.allowed >> candidate & 1:
                found = state.blockers(meeting, candidate)
                if not any(b.fixed_slot is not None for b in found):
                    worth = sum(b.priority for b in found)
                    options.append((worth, rng.random(), candidate, found))
        if not options:
            unplaced.remove(meeting)
            continue
        _, _, slot, blockers = min(options)
        journal = state.journal = []
        evicted = list(blockers)
        for other in blockers:
            state.remove(other)
        if state.load[slot] >= state.problem.tables:
            victims = [state.problem.meetings[i] for i in state.in_slot[slot]]
            victims = [v for v in victims if v.fixed_slot is None]
            if not victims:
                state.undo(journal)
                continue
            victim = rng.choice(victims)
            state.remove(victim)
            evicted.append(victim)
        state.place(meeting, slot)
        waiting = []
        for other in sorted(evicted, key=lambda m: m.order_key):
            if not insert(state, other, waiting):
                waiting.append(other)
        lost = sum(m.priority for m in waiting if m.slot is None)
        if lost > meeting.priority or (lost == meeting.priority and rng.random() < 0.5):
            state.undo(journal)
            continue
        state.journal = None
        total += meeting.priority - lost
        if lost < meeting.priority:
            stale = 0
        unplaced.remove(meeting)
        unplaced.extend(m for m in waiting if m.slot is None and m not in unplaced)


def insert(state, meeting, waiting):
    mask = state.free_slots(meeting)
    if mask:
        state.place(meeting, state.best_slot(mask, meeting))
        return True
    tables = state.problem.tables
    keep_out = set(meeting.people)
    for a in range(state.slots):
        if not meeting.allowed >> a & 1:
            continue
        blockers = state.blockers(meeting, a)
        if any(b.fixed_slot is not None for b in blockers):
            continue
        # Only slots every blocker may move to (a cheap test before the chain is built).
        targets = state.all_slots & ~(1 << a)
        for blocker in blockers:
            targets &= blocker.allowed
        for b in range(state.slots):
            if not targets >> b & 1:
                continue
            swap = kempe_closure(state, blockers, a, b, keep_out)
            if swap is None:
                continue
            to_b, to_a = swap
            if state.load[b] - len(to_a) + len(to_b) > tables:
                continue
            need = state.load[a] - len(to_b) + len(to_a) + 1 - tables
            if need > 1:
                continue  # more meetings come into a than go out: no room for this one
            if need == 1:
                # Slot a is full: one more of its meetings must go to b, if b has room.
                if state.load[b] - len(to_a) + len(to_b) + 1 > tables:
                    continue
                extra = movable_to(state, a, b, to_b, to_a)
                if extra is None:
                    continue
                to_b = [*to_b, extra]
            for other in to_b + to_a:
                state.remove(other)
            for other in to_b:
                state.place(other, b)
            for other in to_a:
                state.place(other, a)
            state.place(meeting, a)
            return True
    # Take the place of blockers worth less, in the slot where they are worth least.
    best = None
    for a in range(state.slots):
        if not meeting.allowed >> a & 1:
            continue
        blockers = state.blockers(meeting, a)
        if not blockers or any(b.fixed_slot is not None for b in blockers):
            continue
        if state.load[a] - len(blockers) + 1 > tables:
            continue
        worth = sum(b.priority for b in blockers)
        if worth < meeting.priority and (best is None or worth < best[0]):
            best = (worth, a, blockers)
    if best:
        _, a, blockers = best
        for other in blockers:
            state.remove(other)
            waiting.append(other)
        state.place(meeting, a)
        return True
    return False


def movable_to(state, a, b, to_b, to_a):
    """A meeting of slot a, not already moving, that could go to b once the swap is done."""
    moving = {m.index for m in to_b} | {m.index for m in to_a}
    busy_in_b = set()
    for other in to_b:
        busy_in_b.update(other.people)
    leaving_b = set()
    for other in to_a:
        leaving_b.update(other.people)
    for index in state.in_slot[a]:
        candidate = state.problem.meetings[index]
        if index in moving or candidate.fixed_slot is not None:
            continue
        if not candidate.allowed >> b & 1:
            continue
        if any(
            (state.busy[person] >> b & 1 and person not in leaving_b) or person in busy_in_b
            for person in candidate.people
        ):
            continue
        return candidate
    return None


def kempe_closure(state, start, a, b, keep_out, limit=40):
    """Meetings to move a->b (starting with `start`) and b->a so that nobody is in two places,
    everyone stays available, and no participant of `keep_out` comes into slot a.
    Returns (to_b, to_a) or None when impossible."""
    to_b = {m.index: m for m in start}
    to_a = {}
    queue = list(start)
    while queue:
        meeting = queue.pop()
        target = b if meeting.index in to_b else a
        if meeting.fixed_slot is not None or not meeting.allowed >> target & 1:
            return None
        if target == a and keep_out.intersection(meeting.people):
            return None
        group = to_a if target == b else to_b
        for person in meeting.people:
            other = state.where[person][target]
            if other is None or other.index in to_b or other.index in to_a:
                continue
            group[other.index] = other
            queue.append(other)
            if len(to_a) + len(to_b) > limit:
                return None
    return list(to_b.values()), list(to_a.values())


def assign_tables(problem):
    """Tables per slot: fixed ones keep theirs, the others take the lowest free numbers."""
    tables = {}
    by_slot = {}
    for meeting in problem.meetings:
        if meeting.slot is not None:
            by_slot.setdefault(meeting.slot, []).append(meeting)
    for meetings in by_slot.values():
        used = {m.fixed_table for m in meetings if m.fixed_table is not None}
        free = (number for number in range(1, problem.tables + 1) if number not in used)
        for meeting in sorted(meetings, key=lambda m: m.index):
            tables[meeting.index] = meeting.fixed_table or next(free)
    return tables


# Bound -----------------------------------------------------------------------------------


def upper_bound(problem):
    """The optimum of a linear relaxation (a b-matching): x[m] in [0, 1]; each person in at
    most as many meetings as they have available slots; at most tables x slots meetings in
    all; fixed meetings in; meetings whose people share no available slot out. Every schedule
    is a solution of it, so none can place more priority. (A time-indexed relaxation gave the
    same value on the bench's instances, in 100 to 1,000 times the time.)"""
    import numpy as np
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix

    meetings = [m for m in problem.meetings if m.allowed]
    if not meetings:
        return 0
    people = len(problem.participant_ids)
    slots = len(problem.slot_ids)
    rows, cols = [], []
    for column, meeting in enumerate(meetings):
        rows.extend(meeting.people)
        cols.extend([column] * len(meeting.people))
        rows.append(people)  # the all-meetings row
        cols.append(column)
    matrix = coo_matrix(
        (np.ones(len(rows)), (np.array(rows), np.array(cols))), shape=(people + 1, len(meetings))
    ).tocsr()
    capacity = [slots - bin(mask).count("1") for mask in problem.unavailable]
    capacity.append(problem.tables * slots)
    lower = [1.0 if m.fixed_slot is not None else 0.0 for m in meetings]
    result = linprog(
        -np.array([m.priority for m in meetings], dtype=float),
        A_ub=matrix,
        b_ub=np.array(capacity, dtype=float),
        bounds=list(zip(lower, [1.0] * len(meetings), strict=True)),
        method="highs",
    )
    if result.status != 0:  # cannot happen with valid fixed meetings; stay on the safe side
        return sum(m.priority for m in meetings)
    # The relaxation's choice guides the search: what it leaves out is tried last.
    for meeting, share in zip(meetings, result.x, strict=True):
        meeting.chosen = share > 0.5
    value = -result.fun
    if all(float(m.priority).is_integer() for m in problem.meetings):
        return math.floor(value + 1e-6)
    return math.ceil(value * 1e6) / 1e6


# Entry points ----------------------------------------------------------------------------


def default_time_limit(meetings):
    """Seconds of search: under a second for a small event, up to 10 s for 14,000 meetings
    (the bench's instances reach the bound, or within 0.02 % of it, well before)."""
    return 0.9 if meetings <= 1500 else min(10.0, meetings / 1400)


def solve(data, time_limit=None, with_bound=True, progress=None):
    """The scheduler's contract: the input dict in, the result dict out. `progress`, if given,
    is called with the share of the search's time limit spent (0 to 1), now and then."""
    problem = parse(data)
    if time_limit is None:
        time_limit = default_time_limit(len(problem.meetings))
    bound = upper_bound(problem) if with_bound else None
    schedule(problem, time_limit=time_limit, target=bound, progress=progress)
    tables = assign_tables(problem)
    placed = sorted(
        (m for m in problem.meetings if m.slot is not None), key=lambda m: (m.slot, tables[m.index])
    )
    result = {
        "scheduled": [
            {"meeting": m.id, "slot": problem.slot_ids[m.slot], "table": tables[m.index]}
            for m in placed
        ],
        "unscheduled": [m.id for m in problem.meetings if m.slot is None],
    }
    if with_bound:
        result["bound"] = bound
    return result


def place_one(data, published, meeting_id):
    """Place a newly accepted meeting into a published schedule, moving nobody.

    `published`: the "scheduled" rows already announced (trusted: they came from `solve`).
    Returns the new row ({"meeting", "slot", "table"}), or None when no slot has everyone
    free and a table left. Only the new meeting is read in full, so this stays fast."""
    slot_ids = data.get("slots") or []
    slot_index = {slot: index for index, slot in enumerate(slot_ids)}
    tables = data.get("tables")
    meetings = {m.get("id"): m for m in data.get("meetings") or [] if isinstance(m, dict)}
    new = meetings.get(meeting_id)
    if new is None:
        raise SchedulerInputError(f"unknown meeting {meeting_id!r}")
    people = new.get("participants") or []
    unavailable = {p.get("id"): p.get("unavailable") or [] for p in data.get("participants") or []}
    if len(people) < 2 or any(person not in unavailable for person in people):
        raise SchedulerInputError(f"meeting {meeting_id!r} has unknown or too few participants")
    free = set(range(len(slot_ids)))
    for person in people:
        free -= {slot_index[slot] for slot in unavailable[person] if slot in slot_index}
    load = [0] * len(slot_ids)
    used_tables = [set() for _ in slot_ids]
    wanted = set(people)
    for row in published:
        slot = slot_index[row["slot"]]
        load[slot] += 1
        used_tables[slot].add(row["table"])
        if slot in free and wanted.intersection(meetings[row["meeting"]]["participants"]):
            free.discard(slot)
    free = [slot for slot in free if load[slot] < tables]
    if not free:
        return None
    slot = min(free, key=lambda index: (load[index], index))
    table = next(n for n in range(1, tables + 1) if n not in used_tables[slot])
    return {"meeting": meeting_id, "slot": slot_ids[slot], "table": table}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("input", help="the input JSON file ('-' for standard input)")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help="seconds of search (default: from the instance's size)",
    )
    args = parser.parse_args(argv)
    try:
        if args.input == "-":
            data = json.load(sys.stdin)
        else:
            with open(args.input, encoding="utf-8") as file:
                data = json.load(file)
        result = solve(data, time_limit=args.time_limit)
    except (OSError, json.JSONDecodeError) as error:
        print(f"error: cannot read {args.input}: {error}", file=sys.stderr)
        return 2
    except SchedulerInputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
