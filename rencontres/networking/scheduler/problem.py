"""The scheduler's input: the contract's JSON-like data checked and read into a Problem
(slots, tables, participants as indices, meetings with the slots their people share)."""

import math
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
