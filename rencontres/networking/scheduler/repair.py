"""Repairing the greedy's schedule: placing what it left out through Kempe-chain swaps and
evictions of meetings worth less, then random perturbations out of the local optimum."""

import time


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
