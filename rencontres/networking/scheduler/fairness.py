"""The second goal, once the total priority is reached: at equal total, more people with at
least one meeting."""


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
