"""The confirmation e-mail says "if you did not register, ignore this message: nothing will be
kept". The daily purge keeps that promise: a registration nobody confirmed is deleted once the
last link sent to it has expired, and a place it still held goes to those who wait."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from rencontres.mail.models import OutgoingEmail
from rencontres.privacy.notice import retention_periods
from rencontres.registration import services
from rencontres.registration.models import Delegation, Registration, RegistrationEvent
from rencontres.registration.tests.factories import (
    delegation,
    open_edition,
    registered,
    workshop,
)

pytestmark = pytest.mark.django_db
Status = Registration.Status
HOURS = datetime.timedelta(hours=1)


@pytest.fixture
def edition():
    return open_edition()


def sent_ago(registration, hours):
    """As if the registration, and every e-mail sent to it, dated from `hours` ago."""
    then = timezone.now() - hours * HOURS
    Registration.objects.filter(pk=registration.pk).update(created_at=then)
    OutgoingEmail.objects.filter(registration=registration).update(created_at=then)


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


def test_an_unconfirmed_registration_goes_once_its_link_has_expired_and_a_fresh_one_stays(
    edition, settings
):
    settings.REGISTRATION_CONFIRMATION_HOURS = 72
    expired = registered(edition, confirm=False, email="never@example.org")
    fresh = registered(edition, confirm=False, email="soon@example.org")
    confirmed = registered(edition, email="awa@example.sn")
    sent_ago(expired, 73)
    sent_ago(fresh, 71)
    sent_ago(confirmed, 500)
    assert OutgoingEmail.objects.filter(registration=expired).exists()

    assert "registration.Registration: would erase 1 past their time" in run("--dry-run")
    assert Registration.objects.count() == 3
    assert "registration.Registration: erased 1 past their time" in run()
    assert set(Registration.objects.values_list("email", flat=True)) == {
        "soon@example.org", "awa@example.sn",
    }  # fmt: skip
    assert not OutgoingEmail.objects.filter(recipient="never@example.org").exists()
    assert not RegistrationEvent.objects.filter(registration_id=expired.pk).exists()


def test_a_link_asked_for_again_keeps_the_registration_until_that_link_expires(edition):
    person = registered(edition, confirm=False)
    sent_ago(person, 100)
    services.request_link(edition, person.email)  # "I lost my link": a new one, for 72 hours
    assert "registration.Registration: erased 0 past their time" in run()
    person.refresh_from_db()
    assert services.confirm_address(person).status == Status.CONFIRMED


def test_a_delegation_whose_head_never_confirmed_goes_whole(edition):
    delegation(edition, members=2)
    for person in Registration.objects.all():
        sent_ago(person, 73)
    run()
    assert not Registration.objects.exists()
    assert not Delegation.objects.exists()


def test_members_stay_while_their_head_can_still_confirm(edition):
    head = delegation(edition, members=2)
    for person in Registration.objects.all():
        sent_ago(person, 73)
    services.request_link(edition, head.email)  # the head's new link works for 72 hours
    run()
    assert Registration.objects.count() == 3
    services.confirm_address(head)
    assert OutgoingEmail.objects.filter(template="member_confirm_address").count() == 2


def test_a_member_who_never_confirmed_goes_and_their_place_goes_to_the_waiting_list(edition):
    edition.capacity = 3
    edition.save()
    session = workshop(edition, capacity=3)
    head = delegation(edition, members=2, sessions=[session])
    services.confirm_address(head)
    waiting = registered(edition, sessions=[session])
    assert waiting.status == Status.WAITLISTED  # the head and two held places: full
    members = Registration.objects.filter(delegation=head.delegation).exclude(pk=head.pk)
    late, gone = members
    services.confirm_address(late)
    sent_ago(gone, 73)
    Registration.objects.filter(pk=gone.pk).update(place_held_until=timezone.now() + HOURS)

    run()
    assert not Registration.objects.filter(pk=gone.pk).exists()
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert waiting.choices.get().status == "confirmed"
    assert set(head.delegation.members.all()) == {head, late}


def test_the_daily_task_does_it_and_the_notice_says_so(edition, settings):
    from rencontres.privacy.tasks import purge_personal_data

    person = registered(edition, confirm=False)
    sent_ago(person, 73)
    assert purge_personal_data.call()["timed"]["registration.Registration"] == 1
    settings.REGISTRATION_CONFIRMATION_HOURS = 48
    with translation.override("en"):
        lines = retention_periods()
    assert any("48 hours" in line and "never confirmed" in line for line in lines)
