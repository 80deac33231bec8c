"""Building a schedule: the state of the search (who meets where, which slots are full, with
moves that can be undone), the greedy first placement that hands over to the repair and
fairness stages, and the tables given at the end."""

import time

from .fairness import spread
from .repair import improve, perturb


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
