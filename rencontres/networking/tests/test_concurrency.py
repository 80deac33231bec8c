"""Acceptances at once after publication, on PostgreSQL: no table holds two meetings in a slot,
nobody is in two meetings at once, and a request sent twice at the same moment is one."""

import pytest

from rencontres.networking import services
from rencontres.networking.models import Meeting, MeetingRequest
from rencontres.registration.tests.test_concurrency import all_at_once

from .factories import open_edition, person, slots, tables

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgresql]


def test_sixty_acceptances_at_once_never_share_a_table_or_a_person():
    edition = open_edition()
    host = person(edition, "Host")
    slots(edition, count=6)
    tables(edition, count=4)
    guests = [person(edition, f"Guest{number}") for number in range(30)]
    pairs = [person(edition, f"Pair{number}") for number in range(60)]
    run = services.execute(services.start_run(edition))
    services.publish(run)  # nothing to place yet: from now on, each acceptance is placed
    requests = [services.request_meeting(guest, host, "Hi") for guest in guests]
    requests += [services.request_meeting(pairs[i], pairs[i + 1], "Hi") for i in range(0, 60, 2)]
    all_at_once(lambda request: services.answer(request, request.recipient, accept=True),
                requests)  # fmt: skip
    placed = Meeting.objects.filter(slot__isnull=False)
    assert Meeting.objects.count() == 60
    # 6 slots x 4 tables: at most 24 meetings, and the host at most once per slot.
    assert placed.count() == 24
    assert placed.filter(participants=host).count() == 6
    seen = set()
    for meeting in placed.prefetch_related("participants"):
        for someone in meeting.participants.all():
            assert (someone.pk, meeting.slot_id) not in seen
            seen.add((someone.pk, meeting.slot_id))


def test_the_same_request_sent_forty_times_at_once_is_one():
    edition = open_edition()
    alice, bob = person(edition, "Alice"), person(edition, "Bob")
    results = all_at_once(lambda _n: services.request_meeting(alice, bob, "Hi"), list(range(40)))
    assert MeetingRequest.objects.count() == 1
    assert {request.pk for request in results} == {MeetingRequest.objects.get().pk}
