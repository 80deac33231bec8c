"""From accepted meetings to a published schedule: the scheduler's input, a run, publication,
placing newly accepted meetings without moving anyone, and freeing tables."""

import pytest

from rencontres.editions.tests.factories import paris
from rencontres.networking import services
from rencontres.networking.models import Meeting, ScheduleRun
from rencontres.registration.tests.factories import workshop

from .factories import delivered_to, open_edition, person, slots, tables

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return open_edition()


def meet(one, other):
    request = services.request_meeting(one, other, "Hello")
    services.answer(request, other, accept=True)
    return Meeting.objects.get(request=request)


def run_and_publish(edition):
    run = services.start_run(edition)
    services.execute(run)
    run.refresh_from_db()
    assert run.status == ScheduleRun.Status.DONE
    services.publish(run)
    return run


def test_registered_sessions_and_marked_slots_make_people_busy(edition):
    alice, bob = person(edition, "Alice"), person(edition, "Bob")
    first, second, third, _fourth = slots(edition, count=4, hour=14)  # 14:00 to 15:20
    session = workshop(edition, capacity=10, hour=14)  # 14:00 to 15:30 on day one
    from rencontres.registration import services as registration_services

    registration_services.change_sessions(alice, [session])
    services.set_unavailable(bob, [first])
    tables(edition)
    meet(alice, bob)
    data = services.scheduler_input(edition)
    unavailable = {p["id"]: set(p["unavailable"]) for p in data["participants"]}
    assert unavailable[f"p{alice.pk}"] == {f"s{s.pk}" for s in (first, second, third, _fourth)}
    assert unavailable[f"p{bob.pk}"] == {f"s{first.pk}"}


def test_a_run_places_meetings_and_explains_the_ones_left_out(edition):
    alice, bob, carol = person(edition, "Alice"), person(edition, "Bob"), person(edition, "Carol")
    only = slots(edition, count=1)
    tables(edition, count=5)
    meet(alice, bob)
    meet(alice, carol)  # Alice has one slot for two meetings
    dave, erin = person(edition, "Dave"), person(edition, "Erin")
    services.set_unavailable(dave, only)
    meet(dave, erin)
    run = services.start_run(edition)
    run = services.execute(run)
    assert run.status == "done" and run.percent == 100
    assert len(run.result["scheduled"]) == 1
    assert run.result["bound"] == 1
    assert sorted(run.result["reasons"].values()) == ["no_common_slot", "people_busy"]


def test_publishing_places_meetings_and_tells_everyone(edition):
    alice, bob = person(edition, "Alice"), person(edition, "Bob")
    slots(edition, count=2)
    tables(edition, count=1)
    meeting = meet(alice, bob)
    run_and_publish(edition)
    meeting.refresh_from_db()
    assert meeting.slot is not None and meeting.table.number == 1
    assert delivered_to(alice.email, "agenda_ready") == 1
    assert delivered_to(bob.email, "agenda_ready") == 1


def test_after_publication_a_new_meeting_is_placed_without_moving_anyone(edition):
    alice, bob, carol = person(edition, "Alice"), person(edition, "Bob"), person(edition, "Carol")
    slots(edition, count=2)
    tables(edition, count=1)
    published = meet(alice, bob)
    run_and_publish(edition)
    published.refresh_from_db()
    where = (published.slot_id, published.table_id)
    late = meet(alice, carol)
    late.refresh_from_db()
    published.refresh_from_db()
    assert (published.slot_id, published.table_id) == where
    assert late.slot is not None and late.slot_id != published.slot_id
    # A third meeting finds no free table nor slot for Alice: it waits, unplaced.
    third = meet(person(edition, "Dave"), alice)
    third.refresh_from_db()
    assert third.slot is None


def test_a_cancellation_frees_the_table_for_the_next_meeting(edition):
    alice, bob, carol = person(edition, "Alice"), person(edition, "Bob"), person(edition, "Carol")
    slots(edition, count=1)
    tables(edition, count=1)
    first = meet(alice, bob)
    run_and_publish(edition)
    first.refresh_from_db()
    assert first.table is not None
    services.cancel_meeting(first, bob)
    first.refresh_from_db()
    assert first.slot is None and first.table is None
    later = meet(carol, bob)
    later.refresh_from_db()
    assert later.table is not None


def test_publication_rechecks_places_against_what_changed_since_the_run(edition):
    alice, bob = person(edition, "Alice"), person(edition, "Bob")
    only = slots(edition, count=1)
    tables(edition, count=1)
    meeting = meet(alice, bob)
    run = services.execute(services.start_run(edition))
    services.set_unavailable(bob, only)  # after the run
    _placed, left_out = services.publish(run)
    meeting.refresh_from_db()
    assert meeting.slot is None and left_out == [meeting]


def test_a_new_run_after_publication_keeps_published_meetings_in_place(edition):
    people = [person(edition, name) for name in ("Alice", "Bob", "Carol", "Dave")]
    slots(edition, count=3)
    tables(edition, count=1)
    first = meet(people[0], people[1])
    run_and_publish(edition)
    first.refresh_from_db()
    where = (first.slot_id, first.table_id)
    second = meet(people[2], people[3])  # placed at once, being accepted after publication
    data = services.scheduler_input(edition)
    fixed = {m["id"] for m in data["meetings"] if "fixed" in m}
    assert fixed == {f"m{first.pk}", f"m{second.pk}"}
    run_and_publish(edition)
    first.refresh_from_db()
    assert (first.slot_id, first.table_id) == where


def test_slots_that_overlap_existing_ones_are_not_added(edition):
    slots(edition, count=2)
    created, skipped = services.add_slots(
        edition, [(paris(2027, 11, 4, 9, 10), paris(2027, 11, 4, 9, 30))]
    )
    assert (created, skipped) == (0, 1)


def test_tables_holding_meetings_are_kept_when_the_count_drops(edition):
    alice, bob = person(edition, "Alice"), person(edition, "Bob")
    slots(edition, count=1)
    tables(edition, count=3)
    meeting = meet(alice, bob)
    run_and_publish(edition)
    meeting.refresh_from_db()
    from rencontres.networking.models import Table

    Meeting.objects.filter(pk=meeting.pk).update(table=Table.objects.get(number=3))
    kept = services.set_tables(edition, 1)
    assert kept == 1
    assert sorted(Table.objects.values_list("number", flat=True)) == [1, 3]


def test_a_schedule_is_published_once_and_an_older_run_never_moves_anyone(edition):
    alice, bob, carol = person(edition, "Alice"), person(edition, "Bob"), person(edition, "Carol")
    slots(edition, count=3)
    tables(edition, count=1)
    first = meet(alice, bob)
    older = services.execute(services.start_run(edition))
    newer = services.execute(services.start_run(edition))
    services.publish(newer)
    with pytest.raises(services.NetworkingError, match="published already"):
        services.publish(newer)
    with pytest.raises(services.NetworkingError, match="after this run"):
        services.publish(older)
    first.refresh_from_db()
    where = (first.slot_id, first.table_id)
    # A new run after publication keeps the announced place, and so does its publication.
    meet(carol, alice)
    services.publish(services.execute(services.start_run(edition)))
    first.refresh_from_db()
    assert (first.slot_id, first.table_id) == where


def test_an_unavailability_after_publication_moves_only_that_meeting_and_runs_still_work(edition):
    alice, bob = person(edition, "Alice"), person(edition, "Bob")
    slots(edition, count=3)
    tables(edition, count=1)
    meeting = meet(alice, bob)
    run_and_publish(edition)
    meeting.refresh_from_db()
    services.set_unavailable(bob, [meeting.slot])
    run = services.execute(services.start_run(edition))
    assert run.status == "done"
    services.publish(run)
    moved = Meeting.objects.get(pk=meeting.pk)
    assert moved.slot is not None and moved.slot_id != meeting.slot_id


def test_a_slot_deleted_between_the_run_and_its_publication_is_skipped(edition):
    alice, bob = person(edition, "Alice"), person(edition, "Bob")
    slots(edition, count=2)
    tables(edition, count=1)
    meeting = meet(alice, bob)
    run = services.execute(services.start_run(edition))
    (row,) = run.result["scheduled"]
    from rencontres.networking.models import Slot

    Slot.objects.get(pk=int(row["slot"][1:])).delete()
    services.publish(run)
    meeting.refresh_from_db()
    assert meeting.slot is not None  # placed again, in the slot that is left
