"""Many people at once for the last places, on PostgreSQL: never one place too many, and a
form sent twice at the same moment is recorded once."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from rencontres.registration import services
from rencontres.registration.models import Registration, SessionChoice

from .factories import details, open_edition, registered, workshop

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgresql]
# PostgreSQL allows 100 connections here, and two test processes (-n 2) may run a module of
# these at the same moment: 45 each, and some left for the tests themselves.
THREADS = 45


def all_at_once(function, items):
    """Run function(item) for every item, THREADS at a time, starting together."""
    starters = min(THREADS, len(items))
    barrier = threading.Barrier(starters)

    def run(numbered):
        index, item = numbered
        try:
            if index < starters:  # the first THREADS start at the same instant
                barrier.wait(timeout=30)
            return function(item)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(run, enumerate(items)))


def test_a_hundred_confirmations_for_the_last_places_never_overbook():
    edition = open_edition()
    edition.capacity = 60
    edition.save()
    session = workshop(edition, capacity=10)
    people = [services.submit(edition, details(edition), sessions=[session])[0] for _ in range(100)]
    all_at_once(services.confirm_address, people)
    confirmed = Registration.objects.filter(status=Registration.Status.CONFIRMED)
    assert confirmed.count() == 60
    assert Registration.objects.filter(status=Registration.Status.WAITLISTED).count() == 40
    places = SessionChoice.objects.filter(session=session, status="confirmed")
    assert places.count() == 10
    assert places.filter(registration__status=Registration.Status.CONFIRMED).count() == 10


def test_a_hundred_people_adding_the_same_session_never_overbook():
    edition = open_edition()
    session = workshop(edition, capacity=7)
    people = [registered(edition) for _ in range(100)]
    all_at_once(lambda person: services.change_sessions(person, [session]), people)
    statuses = list(SessionChoice.objects.filter(session=session).values_list("status", flat=True))
    assert statuses.count("confirmed") == 7 and statuses.count("waitlisted") == 93


def test_cancellations_and_newcomers_at_once_keep_the_count():
    edition = open_edition()
    session = workshop(edition, capacity=5)
    holders = [registered(edition, sessions=[session]) for _ in range(5)]
    newcomers = [registered(edition) for _ in range(40)]
    jobs = [("cancel", person) for person in holders] + [("add", p) for p in newcomers]

    def act(job):
        action, person = job
        if action == "cancel":
            services.cancel(person)
        else:
            services.change_sessions(person, [session])

    all_at_once(act, jobs)
    assert SessionChoice.objects.filter(session=session, status="confirmed").count() == 5


def test_the_same_form_sent_twenty_times_at_once_is_recorded_once():
    edition = open_edition()
    person = details(edition)
    results = all_at_once(
        lambda _: services.submit(edition, dict(person), nonce="same-form")[0].pk, range(20)
    )
    assert len(set(results)) == 1
    assert Registration.objects.count() == 1


def test_invitations_are_sent_while_a_registration_holds_the_edition():
    from rencontres.registration.models import Invitation

    edition = open_edition()
    Invitation.objects.bulk_create(
        Invitation(edition=edition, email=f"guest{n}@example.org", first_name="G", last_name="N")
        for n in range(5)
    )
    locked, release = threading.Event(), threading.Event()

    def hold_the_edition():
        from django.db import transaction

        try:
            with transaction.atomic():
                services.lock_edition(edition)
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_edition)
    holder.start()
    try:
        assert locked.wait(timeout=30)
        assert services.send_invitations(edition.pk) == 5
    finally:
        release.set()
        holder.join()


def test_heads_and_people_confirming_at_once_never_overbook_with_held_places():
    """Heads hold places for their members while others confirm: the holds count, so the
    edition and the session never give one place too many."""
    from django.db.models import Q

    from .factories import delegation

    edition = open_edition()
    edition.capacity = 40
    edition.save()
    session = workshop(edition, capacity=10)
    heads = [delegation(edition, members=4, sessions=[session]) for _ in range(8)]
    singles = [services.submit(edition, details(edition), sessions=[session])[0] for _ in range(30)]
    all_at_once(services.confirm_address, heads + singles)
    held = Q(status=Registration.Status.AWAITING_CONFIRMATION, place_held_until__isnull=False)
    taking = Registration.objects.filter(Q(status=Registration.Status.CONFIRMED) | held)
    assert taking.count() == 40
    assert Registration.objects.filter(status=Registration.Status.WAITLISTED).count() >= 6
    places = SessionChoice.objects.filter(session=session, status="confirmed")
    assert places.count() == 10


def test_members_confirming_while_their_holds_expire_never_overbook():
    """At the moment holds run out, members confirm late, the release runs twice and the
    waiting list moves: the edition stays exactly full."""
    import datetime

    from django.utils import timezone

    from rencontres.registration.services.places import release_expired_holds_of

    from .factories import delegation

    edition = open_edition()
    edition.capacity = 20
    edition.save()
    heads = [delegation(edition, members=4) for _ in range(4)]
    for head in heads:
        services.confirm_address(head)
    waiting = [registered(edition) for _ in range(20)]
    assert {person.status for person in waiting} == {Registration.Status.WAITLISTED}
    Registration.objects.filter(place_held_until__isnull=False).update(
        place_held_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    members = list(Registration.objects.filter(status=Registration.Status.AWAITING_CONFIRMATION))
    jobs = [("confirm", member) for member in members] + [("release", None)] * 2

    def act(job):
        action, member = job
        if action == "confirm":
            services.confirm_address(member)
        else:
            release_expired_holds_of(edition.pk)

    all_at_once(act, jobs)
    assert Registration.objects.filter(status=Registration.Status.CONFIRMED).count() == 20
    assert not Registration.objects.filter(place_held_until__isnull=False).exists()
    # Those who waited came first: all four heads plus the sixteen first in line.
    promoted = Registration.objects.filter(pk__in=[p.pk for p in waiting], status="confirmed")
    assert promoted.count() == 16


def test_a_replacement_sent_many_times_at_once_makes_one_person():
    """A double click, or a resend on a flaky network: the page nonce and the locks (the
    edition's, then the member's row) let one request through; the others find its person."""
    from rencontres.forms import new_page_nonce

    from .factories import delegation

    edition = open_edition()
    head = services.confirm_address(delegation(edition, members=1))
    member = services.confirm_address(head.delegation.members.exclude(pk=head.pk).get())
    nonce = new_page_nonce("replacement")
    new = {"first_name": "Zoé", "last_name": "Roy", "email": "zoe.roy@example.org",
           "job_title": "Adviser", "language": "en"}  # fmt: skip

    def resend(_):
        again = Registration.objects.get(pk=member.pk)  # each request reads its own
        return services.replace_member(again, new, head=head, nonce=nonce).pk

    made = all_at_once(resend, range(20))
    assert len(set(made)) == 1
    assert Registration.objects.filter(email="zoe.roy@example.org").count() == 1

    # Other people for the one place, at once: the first takes it, the others are told.
    other = services.confirm_address(Registration.objects.get(pk=made[0]))

    def replace(number):
        person = {**new, "email": f"person{number}@example.org"}
        try:
            return services.replace_member(Registration.objects.get(pk=other.pk), person,
                                           head=head).pk  # fmt: skip
        except services.MemberGone:
            return None

    outcomes = all_at_once(replace, range(20))
    assert len([pk for pk in outcomes if pk]) == 1
    assert Registration.objects.filter(delegation=head.delegation,
                                       status__in=Registration.ACTIVE).count() == 2  # fmt: skip
