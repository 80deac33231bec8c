"""The demo `make run` loads: small and quick for the tests, or an edition at the scale of the
real one a few days before its deadline, the same for the same seed."""

import datetime
import hashlib
import io
import random
import time
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from rencontres.backoffice.demo import DOMAIN, load
from rencontres.backoffice.demo.event import SIZE, plan_people
from rencontres.backoffice.sessions import limited_sessions
from rencontres.editions.models import Edition
from rencontres.mail.models import OutgoingEmail
from rencontres.networking.models import Meeting, MeetingRequest, Profile, ScheduleRun
from rencontres.onsite.models import CheckIn
from rencontres.registration.models import Delegation, Registration
from tests.cast import cast_for_module

Status = Registration.Status
SEED = 15


def digest(edition):
    """The names and states of an edition's people: who, from where, in what state, with
    which sessions (and whether they hold a place or wait)."""
    rows = []
    people = edition.registrations.select_related("organisation", "category").prefetch_related(
        "choices__session"
    )
    for person in sorted(people, key=lambda person: person.email):
        choices = sorted((c.session.title_en, c.status) for c in person.choices.all())
        rows.append((person.first_name, person.last_name, person.email, person.status,
                     person.organisation.name, person.organisation.country.code,
                     person.category.code, person.is_delegation_head, choices))  # fmt: skip
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.fixture(scope="module")
def event(django_db_setup, django_db_blocker, tmp_path_factory):
    """The event's scale, built once for the module (and rolled back after it). Built twice:
    the first time in a transaction rolled back at once, half a day earlier, for its digest."""
    now = timezone.now()

    def build():
        with transaction.atomic():
            edition, _made = load("event", SEED, now - datetime.timedelta(hours=11, minutes=7))
            first = digest(edition)
            transaction.set_rollback(True)
        started = time.monotonic()
        edition, made = load("event", SEED, now)
        return SimpleNamespace(edition=edition, made=made, first=first, now=now,
                               seconds=time.monotonic() - started)  # fmt: skip

    media = tmp_path_factory.mktemp("media")
    with cast_for_module(
        django_db_blocker, media, tmp_path_factory.mktemp("private"), build
    ) as built:
        yield built


@pytest.mark.django_db
def test_the_small_demo_loads_fast_and_keeps_its_size():
    started = time.monotonic()
    call_command("load_demo", "--scale", "small", stdout=io.StringIO())
    assert time.monotonic() - started < 15
    edition = Edition.objects.get(number=15)
    assert edition.registrations.count() == 24
    assert Registration.objects.filter(edition__number__lt=15).count() == 940
    assert not CheckIn.objects.exists() and not OutgoingEmail.objects.exists()


@pytest.mark.django_db
def test_the_event_scale_has_the_shape_of_the_event_a_few_days_before_the_deadline(event):
    edition = event.edition
    assert event.seconds < 30
    status = edition.registration_status(event.now)
    assert status.is_open and 0 < status.days_left <= 7
    assert 0 < (edition.starts_on - timezone.localdate(event.now)).days <= 14
    people = edition.registrations.all()
    assert people.count() == SIZE
    assert all(email.endswith(f"@{DOMAIN}") for email in people.values_list("email", flat=True))
    counts = dict(people.values_list("status").annotate(n=Count("pk")))
    assert counts[Status.CONFIRMED] > 0.8 * SIZE
    for state in (Status.AWAITING_CONFIRMATION, Status.AWAITING_APPROVAL, Status.WAITLISTED,
                  Status.CANCELLED):  # fmt: skip
        assert 0 < counts.get(state, 0) < 0.1 * SIZE, state
    active = people.exclude(status__in=[Status.CANCELLED, Status.REJECTED])
    assert active.values("organisation__country").distinct().count() >= 30
    kinds = set(people.values_list("organisation__kind", flat=True))
    assert {"commune", "departement", "region", "epci", "foreign_authority", "embassy",
            "association", "company", "media"} <= kinds  # fmt: skip
    # Names that look real and varied, some in their own script.
    assert people.values("last_name").distinct().count() > 300
    assert people.filter(last_name__regex=r"[\u0600-\u06ff]").exists()  # Arabic
    assert people.filter(last_name__regex=r"[\u4e00-\u9fff]").exists()  # Chinese
    # Delegations: one head each, and their members.
    delegations = Delegation.objects.filter(edition=edition).annotate(
        heads=Count("members", filter=Q(members__is_delegation_head=True)),
        size=Count("members"),
    )
    assert delegations.count() > 50
    assert all(d.heads == 1 and d.size >= 2 for d in delegations)
    assert people.filter(place_held_until__gt=event.now, status=Status.AWAITING_CONFIRMATION)
    # Sessions full with waiting lists, never beyond their capacity; a list only when full.
    sessions = limited_sessions(edition)
    assert all(s.taken <= s.capacity for s in sessions)
    assert all(s.full for s in sessions if s.waiting)
    assert sum(1 for s in sessions if s.waiting) >= 4
    # The project exchange, and a scheduler run to publish.
    assert Profile.objects.listed(edition).count() > 200
    assert MeetingRequest.objects.filter(edition=edition, status="pending").exists()
    assert Meeting.objects.filter(edition=edition).count() > 100
    assert ScheduleRun.objects.get(edition=edition).status == "done"
    # The last days' e-mails, as sent: nothing for the outbox to send, a few bounced.
    emails = OutgoingEmail.objects.filter(registration__edition=edition)
    assert emails.filter(template="registration_confirmed").count() > 10
    assert not emails.filter(status=OutgoingEmail.Status.PENDING).exists()
    assert 0 < emails.filter(status=OutgoingEmail.Status.FAILED).count() < 10
    # The past editions, as large, with who came in at the door.
    for past in Edition.objects.filter(number__lt=edition.number):
        assert past.registrations.count() > 0.8 * SIZE
        came = CheckIn.objects.filter(registration__edition=past, day=past.starts_on).count()
        assert 0.7 * past.registrations.count() < came


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_people_whatever_the_time(event):
    assert digest(event.edition) == event.first


@pytest.mark.django_db
def test_another_seed_gives_other_people(event):
    names = [[(p.first_name, p.last_name, p.country) for p in plan_people(random.Random(seed), 40)]
             for seed in (SEED, SEED, SEED + 1)]  # fmt: skip
    assert names[0] == names[1] != names[2]


@pytest.mark.django_db
def test_loading_it_again_changes_nothing(event):
    before = digest(event.edition)
    out = io.StringIO()
    call_command("load_demo", "--scale", "event", stdout=out)
    assert "nothing changed" in out.getvalue()
    assert digest(event.edition) == before
    assert Registration.objects.filter(edition=event.edition).count() == SIZE
