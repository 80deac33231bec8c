"""The scheduler's entry points: a whole schedule from the input (`solve`), and one more
meeting placed into a published schedule without moving anyone (`place_one`)."""

from .bound import upper_bound
from .construction import assign_tables, schedule
from .problem import SchedulerInputError, parse


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
