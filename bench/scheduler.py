"""Scheduler quality and speed on generated instances, against a first-come greedy and the bound.

Usage: .venv/bin/python bench/scheduler.py [--size small|medium|large|all] [--seed 1]

Instances: skewed popularity (Zipf), 10 % unavailable slots, 5 % three-party meetings,
priorities 1 (80 %), 2 (15 %) or 3 (5 %). Prints, per instance: the greedy's total, the
scheduler's, the proven bound, each as a share of the bound, and the times.
"""

import argparse
import pathlib
import random
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from rencontres.networking import scheduler

SIZES = {
    "small": {"participants": 300, "meetings": 1200, "slots": 10, "tables": 150},
    "medium": {"participants": 1000, "meetings": 5000, "slots": 12, "tables": 350},
    "large": {"participants": 2500, "meetings": 14000, "slots": 16, "tables": 900},
}


def instance(participants, meetings, slots, tables, zipf=0.6, seed=1):
    rng = random.Random(seed)
    slot_ids = [f"s{i + 1}" for i in range(slots)]
    people = [f"p{i + 1}" for i in range(participants)]
    weights = [1 / (rank + 1) ** zipf for rank in range(participants)]
    data = {
        "slots": slot_ids,
        "tables": tables,
        "participants": [
            {"id": p, "unavailable": [s for s in slot_ids if rng.random() < 0.1]} for p in people
        ],
        "meetings": [],
    }
    pairs = set()
    while len(data["meetings"]) < meetings:
        size = 3 if rng.random() < 0.05 else 2
        chosen = set()
        while len(chosen) < size:
            chosen.add(rng.choices(range(participants), weights)[0])
        key = tuple(sorted(chosen))
        if key in pairs:
            continue
        pairs.add(key)
        priority = rng.choices([1, 2, 3], [80, 15, 5])[0]
        data["meetings"].append({"id": f"m{len(data['meetings']) + 1}",
                                 "participants": [people[i] for i in key],
                                 "priority": priority})  # fmt: skip
    return data


def greedy(data):
    """First come, first served: each meeting in the earliest slot everyone has free."""
    problem = scheduler.parse(data)
    state = scheduler.Schedule(problem)
    total = 0
    for meeting in problem.meetings:
        mask = state.free_slots(meeting)
        if mask:
            state.place(meeting, (mask & -mask).bit_length() - 1)
            total += meeting.priority
    return total


def run(name, data, time_limit):
    start = time.perf_counter()
    baseline = greedy(data)
    greedy_s = time.perf_counter() - start
    start = time.perf_counter()
    bound = scheduler.upper_bound(scheduler.parse(data))
    bound_s = time.perf_counter() - start
    start = time.perf_counter()
    result = scheduler.solve(data, time_limit=time_limit)  # computes the bound too
    solve_s = time.perf_counter() - start
    priority = {m["id"]: m.get("priority", 1) for m in data["meetings"]}
    placed = sum(priority[row["meeting"]] for row in result["scheduled"])
    people = {m["id"]: m["participants"] for m in data["meetings"]}
    wanting = {p for m in data["meetings"] for p in m["participants"]}
    meeting_someone = {p for row in result["scheduled"] for p in people[row["meeting"]]}
    print(f"{name}: meetings={len(data['meetings'])} bound={bound} ({bound_s:.2f}s)")
    print(f"  greedy    total={baseline} share={baseline / bound:.4f} seconds={greedy_s:.2f}")
    print(
        f"  scheduler total={placed} share={placed / bound:.4f} seconds={solve_s:.2f} "
        f"people_without_a_meeting={len(wanting - meeting_someone)} of {len(wanting)}"
    )
    if result["unscheduled"]:  # one more meeting into the published schedule, as after a yes
        start = time.perf_counter()
        scheduler.place_one(data, result["scheduled"], result["unscheduled"][0])
        print(f"  place one more meeting: ms={(time.perf_counter() - start) * 1000:.1f}")
    return placed / bound, solve_s


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=[*SIZES, "all"], default="all")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--time-limit", type=float, default=None, help="seconds of search (default: from size)"
    )
    args = parser.parse_args()
    for name in SIZES if args.size == "all" else [args.size]:
        run(name, instance(**SIZES[name], seed=args.seed), args.time_limit)


if __name__ == "__main__":
    main()
