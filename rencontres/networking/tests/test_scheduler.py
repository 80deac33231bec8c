"""The scheduler's contract: every rule holds on random instances, the bound is never below
what a schedule can reach, and bad input gets a message and exit code 2."""

import itertools
import json
import pathlib
import subprocess
import sys

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from rencontres.networking.scheduler import SchedulerInputError, place_one, solve


@st.composite
def instances(draw, max_meetings=14, sizes=(2, 2, 2, 3), most_people=8, most_tables=3):
    slots = [f"s{i}" for i in range(draw(st.integers(1, 4)))]
    people = [f"p{i}" for i in range(draw(st.integers(2, most_people)))]
    tables = draw(st.integers(1, most_tables))
    participants = [
        {
            "id": p,
            "unavailable": draw(
                st.lists(st.sampled_from(slots), unique=True, max_size=len(slots) - 1)
            ),
        }
        for p in people
    ]
    meetings, used, taken = [], set(), set()
    for number in range(draw(st.integers(0, max_meetings))):
        size = min(draw(st.sampled_from(sizes)), len(people))
        members = draw(st.lists(st.sampled_from(people), min_size=size, max_size=size,
                                unique=True))  # fmt: skip
        meeting = {"id": f"m{number}", "participants": members,
                   "priority": draw(st.integers(0, 3))}  # fmt: skip
        if draw(st.booleans()) and draw(st.booleans()):
            slot, table = draw(st.sampled_from(slots)), draw(st.integers(1, tables))
            unavailable = {s for p in participants if p["id"] in members for s in p["unavailable"]}
            clash = any((slot, person) in used for person in members)
            if slot not in unavailable and not clash and (slot, table) not in taken:
                meeting["fixed"] = {"slot": slot, "table": table}
                used.update((slot, person) for person in members)
                taken.add((slot, table))
        meetings.append(meeting)
    return {"slots": slots, "tables": tables, "participants": participants, "meetings": meetings}


def check_rules(data, result):
    meetings = {m["id"]: m for m in data["meetings"]}
    unavailable = {p["id"]: set(p["unavailable"]) for p in data["participants"]}
    placed = {row["meeting"]: row for row in result["scheduled"]}
    assert len(placed) == len(result["scheduled"])  # no meeting placed twice
    assert len(set(result["unscheduled"])) == len(result["unscheduled"])
    assert set(placed).isdisjoint(result["unscheduled"])
    assert set(placed) | set(result["unscheduled"]) == set(meetings)
    seen_people, seen_tables = set(), set()
    for meeting_id, row in placed.items():
        meeting = meetings[meeting_id]
        assert 1 <= row["table"] <= data["tables"]
        assert (row["slot"], row["table"]) not in seen_tables
        seen_tables.add((row["slot"], row["table"]))
        for person in meeting["participants"]:
            assert row["slot"] not in unavailable[person]
            assert (row["slot"], person) not in seen_people
            seen_people.add((row["slot"], person))
        if "fixed" in meeting:
            assert (row["slot"], row["table"]) == (meeting["fixed"]["slot"],
                                                   meeting["fixed"]["table"])  # fmt: skip
    for meeting in meetings.values():
        if "fixed" in meeting:
            assert meeting["id"] in placed
    total = sum(meetings[m].get("priority", 1) for m in placed)
    assert total <= result["bound"]
    return total


def optimum(data):
    """Brute force over every assignment (tiny instances only)."""
    slots, meetings = data["slots"], data["meetings"]
    unavailable = {p["id"]: set(p["unavailable"]) for p in data["participants"]}
    best = 0
    for choice in itertools.product([None, *slots], repeat=len(meetings)):
        used, load, total, ok = set(), {}, 0, True
        for meeting, slot in zip(meetings, choice, strict=True):
            if "fixed" in meeting and slot != meeting["fixed"]["slot"]:
                ok = False
                break
            if slot is None:
                continue
            load[slot] = load.get(slot, 0) + 1
            for person in meeting["participants"]:
                if slot in unavailable[person] or (slot, person) in used:
                    ok = False
                used.add((slot, person))
            total += meeting["priority"]
        if ok and all(count <= data["tables"] for count in load.values()):
            best = max(best, total)
    return best


@settings(max_examples=120, deadline=None)
@given(instances())
def test_every_rule_holds_on_random_instances(data):
    check_rules(data, solve(data, time_limit=1))


@settings(max_examples=150, deadline=None)
@given(instances(max_meetings=30, sizes=(2, 3, 4), most_people=12, most_tables=2))
def test_group_meetings_with_few_tables_never_overfill_a_slot(data):
    check_rules(data, solve(data, time_limit=0.3))


def test_a_swap_never_brings_more_meetings_into_a_full_slot_than_leave_it():
    # Found in review (random search, seed 265): a chain of group meetings moved two into a
    # full slot for one out, and the tables ran out (the run failed).
    path = pathlib.Path(__file__).parent / "data" / "group_meetings_few_tables.json"
    data = json.loads(path.read_text())
    check_rules(data, solve(data, time_limit=0.5))


@settings(max_examples=60, deadline=None)
@given(instances(max_meetings=6))
def test_the_bound_is_never_below_the_best_schedule(data):
    result = solve(data, time_limit=1)
    placed = check_rules(data, result)
    assert placed <= optimum(data) <= result["bound"]


def test_at_equal_priority_the_most_people_get_a_meeting():
    from rencontres.networking.scheduler import Schedule, parse, spread

    data = {"slots": ["s1", "s2"], "tables": 1,
            "participants": [{"id": p} for p in "abcd"],
            "meetings": [{"id": "m1", "participants": ["a", "b"]},
                         {"id": "m2", "participants": ["a", "b"]},
                         {"id": "m3", "participants": ["c", "d"]}]}  # fmt: skip
    problem = parse(data)
    state = Schedule(problem)
    m1, m2, m3 = problem.meetings
    state.place(m1, 0)
    state.place(m2, 1)  # a total of 2, but c and d meet nobody
    spread(state)
    assert m3.slot is not None and {m1.slot, m2.slot} - {None} and None in {m1.slot, m2.slot}
    result = solve(data)
    met = {p for row in result["scheduled"] for p in data["meetings"][int(row["meeting"][1]) - 1]
           ["participants"]}  # fmt: skip
    assert len(result["scheduled"]) == 2 and met == set("abcd")


def test_it_places_everything_when_there_is_room():
    data = {"slots": ["s1", "s2"], "tables": 2,
            "participants": [{"id": p} for p in "abcd"],
            "meetings": [{"id": "m1", "participants": ["a", "b"]},
                         {"id": "m2", "participants": ["a", "c"]},
                         {"id": "m3", "participants": ["b", "c", "d"]}]}  # fmt: skip
    result = solve(data)
    assert len(result["scheduled"]) == 2  # a, b and c clash pairwise: two slots hold two
    assert result["bound"] >= 2
    data["slots"].append("s3")
    assert solve(data)["unscheduled"] == []


def test_fixed_meetings_keep_their_place_and_table():
    data = {"slots": ["s1", "s2"], "tables": 5, "participants": [{"id": "a"}, {"id": "b"}],
            "meetings": [{"id": "m1", "participants": ["a", "b"],
                          "fixed": {"slot": "s2", "table": 4}}]}  # fmt: skip
    assert solve(data)["scheduled"] == [{"meeting": "m1", "slot": "s2", "table": 4}]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["meetings"].append({"id": "m1", "participants": ["a", "b"]}), "twice"),
        (lambda d: d["meetings"].append({"id": "m9", "participants": ["a", "z"]}),
         "unknown participant"),
        (lambda d: d["meetings"].append({"id": "m9", "participants": ["a"]}), "two or more"),
        (lambda d: d["participants"].append({"id": "a"}), "twice"),
        (lambda d: d["participants"][0].update(unavailable=["s9"]), "unknown slot"),
        (lambda d: d["meetings"][0].update(fixed={"slot": "s9", "table": 1}), "fixed slot"),
        (lambda d: d["meetings"][0].update(fixed={"slot": "s1", "table": 3}), "fixed table"),
        (lambda d: d["meetings"][0].update(priority=-1), "priority"),
        (lambda d: d.update(tables=0), "tables"),
        (lambda d: d.update(slots=["s1", "s1"]), "same id twice"),
        (lambda d: (d["participants"][0].update(unavailable=["s1"]),
                    d["meetings"][0].update(fixed={"slot": "s1", "table": 1})), "unavailable"),
        (lambda d: (d["meetings"][0].update(fixed={"slot": "s1", "table": 1}),
                    d["meetings"].append({"id": "m2", "participants": ["a", "c"],
                                          "fixed": {"slot": "s1", "table": 2}})), "same slot"),
        (lambda d: (d["meetings"][0].update(fixed={"slot": "s1", "table": 1}),
                    d["meetings"].append({"id": "m2", "participants": ["c", "d"],
                                          "fixed": {"slot": "s1", "table": 1}})), "same table"),
    ],
)  # fmt: skip
def test_invalid_input_gets_a_clear_error(change, message):
    data = {"slots": ["s1", "s2"], "tables": 2,
            "participants": [{"id": p} for p in "abcd"],
            "meetings": [{"id": "m1", "participants": ["a", "b"]}]}  # fmt: skip
    change(data)
    with pytest.raises(SchedulerInputError, match=message):
        solve(data)


def run_command(tmp_path, content):
    path = tmp_path / "input.json"
    path.write_text(content)
    return subprocess.run(
        [sys.executable, "-m", "rencontres.networking.scheduler", str(path)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_the_command_prints_the_result(tmp_path):
    data = {"slots": ["s1"], "tables": 1, "participants": [{"id": "a"}, {"id": "b"}],
            "meetings": [{"id": "m1", "participants": ["a", "b"], "priority": 2}]}  # fmt: skip
    result = run_command(tmp_path, json.dumps(data))
    assert result.returncode == 0
    assert json.loads(result.stdout) == {
        "scheduled": [{"meeting": "m1", "slot": "s1", "table": 1}], "unscheduled": [],
        "bound": 2}  # fmt: skip


@pytest.mark.parametrize("content", ["{not json", '{"slots": []}', "[]"])
def test_the_command_refuses_bad_input_with_exit_code_2(tmp_path, content):
    result = run_command(tmp_path, content)
    assert result.returncode == 2
    assert result.stderr.startswith("error:") and "Traceback" not in result.stderr


@settings(max_examples=80, deadline=None)
@given(instances())
def test_a_new_meeting_joins_a_published_schedule_without_moving_anyone(data):
    assume(data["meetings"])
    new = data["meetings"][-1]["id"]
    published = [row for row in solve(data, time_limit=0.2)["scheduled"] if row["meeting"] != new]
    row = place_one(data, published, new)
    if row is None:  # only when every slot has one of them away or busy, or no table left
        meetings = {m["id"]: set(m["participants"]) for m in data["meetings"]}
        away = {p["id"]: set(p["unavailable"]) for p in data["participants"]}
        for slot in data["slots"]:
            there = [r for r in published if r["slot"] == slot]
            assert (
                any(slot in away[person] for person in meetings[new])
                or any(meetings[r["meeting"]] & meetings[new] for r in there)
                or len(there) >= data["tables"]
            ), f"{new} left out though {slot} had room"
    rows = published + ([row] if row else [])
    keep = {row["meeting"] for row in rows}
    check_rules({**data, "meetings": [{k: v for k, v in m.items() if k != "fixed"}
                                      for m in data["meetings"] if m["id"] in keep]},
                {"scheduled": rows, "unscheduled": [], "bound": float("inf")})  # fmt: skip
