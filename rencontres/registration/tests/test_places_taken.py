"""Which session choices take a place: the one rule the form, the lock, the overview and the
desk count by (SessionChoice.objects.taking_a_place)."""

import datetime

import pytest
from django.utils import timezone

from rencontres.registration.models import Registration, SessionChoice

from .factories import open_edition, registered, workshop

pytestmark = pytest.mark.django_db
Status, Choice = Registration.Status, SessionChoice.Status


def person(edition, session, status, choice, held=False):
    registration = registered(edition, confirm=False)
    registration.status = status
    registration.place_held_until = timezone.now() + datetime.timedelta(hours=1) if held else None
    registration.save()
    SessionChoice.objects.create(registration=registration, session=session, status=choice)
    return registration.last_name


def test_a_confirmed_choice_of_a_registration_holding_a_place_takes_it():
    edition = open_edition()
    session = workshop(edition, capacity=10)
    confirmed = person(edition, session, Status.CONFIRMED, Choice.CONFIRMED)
    held = person(edition, session, Status.AWAITING_CONFIRMATION, Choice.CONFIRMED, held=True)
    for status, choice in [
        (Status.CONFIRMED, Choice.WAITLISTED),  # waiting for the session
        (Status.CONFIRMED, Choice.REQUESTED),
        (Status.AWAITING_CONFIRMATION, Choice.CONFIRMED),  # unconfirmed, no place held
        (Status.WAITLISTED, Choice.CONFIRMED),
        (Status.AWAITING_APPROVAL, Choice.CONFIRMED),
        (Status.CANCELLED, Choice.CONFIRMED),
        (Status.REJECTED, Choice.CONFIRMED),
    ]:
        person(edition, session, status, choice)

    def names(choices):
        return set(choices.values_list("registration__last_name", flat=True))

    assert names(SessionChoice.objects.taking_a_place()) == {confirmed, held}
    # At the door (and in the overview's "confirmed"), a place held for a member who has not
    # confirmed their address yet does not count.
    assert names(session.choices.taking_a_place(held=False)) == {confirmed}
