"""Confirmation, capacities and waiting lists: who gets a place, who waits, who moves up."""

import datetime
import re

import pytest
from django.core import mail, signing
from django.utils import timezone

from rencontres.registration import services
from rencontres.registration.models import Registration, SessionChoice

from .factories import category, delivered, open_edition, registered, workshop

pytestmark = pytest.mark.django_db
Status = Registration.Status


@pytest.fixture
def edition():
    return open_edition()


def confirm_link_path(message):
    return re.search(r"http://127.0.0.1:8000(/\w\w/register/confirm/\S+/)", message.body)[1]


def test_confirming_the_address_confirms_the_registration(client, edition):
    session = workshop(edition, capacity=5, title_en="Water workshop")
    registration = registered(edition, sessions=[session], confirm=False)
    path = confirm_link_path(delivered()[0])
    page = client.get(path)
    assert "Confirm and complete my registration" in page.content.decode()
    assert Registration.objects.get().status == Status.AWAITING_CONFIRMATION  # GET changes nothing
    response = client.post(path)
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED and registration.email_confirmed_at
    assert response["Location"] == f"/en/r/{registration.public_id}/{registration.secret}/"
    assert registration.choices.get().status == SessionChoice.Status.CONFIRMED
    confirmation = delivered()[-1]
    assert confirmation.subject == "Your registration is confirmed"
    assert "Water workshop" in confirmation.body
    assert registration.secret in confirmation.body
    _filename, content, mimetype = confirmation.attachments[0]
    assert mimetype == "text/calendar" and "Water workshop" in content
    assert confirmation.alternatives[0][1] == "text/html"


def test_the_confirmation_email_speaks_the_person_language(edition):
    registered(edition, language="fr")
    assert delivered()[-1].subject == "Votre inscription est confirmée"


def test_confirming_twice_changes_nothing(edition):
    registration = registered(edition)
    services.confirm_address(registration)
    assert len(delivered()) == 2  # confirm your address, then confirmed
    assert registration.events.filter(action="address_confirmed").count() == 1
    assert registration.status == Status.CONFIRMED


def test_an_expired_confirmation_link_says_so(client, edition, settings):
    registration = registered(edition, confirm=False)
    settings.REGISTRATION_CONFIRMATION_HOURS = 0
    token = services.confirmation_token(registration)
    response = client.get(f"/en/register/confirm/{token}/")
    assert response.status_code == 410 and "This link has expired" in response.content.decode()


def test_a_forged_confirmation_link_is_not_found(client, edition):
    registration = registered(edition, confirm=False)
    forged = signing.TimestampSigner(salt="other").sign(str(registration.public_id))
    assert client.get(f"/en/register/confirm/{forged}/").status_code == 404


def test_a_full_session_puts_newcomers_on_its_waiting_list_in_order(edition):
    session = workshop(edition, capacity=2)
    people = [registered(edition, sessions=[session]) for _ in range(4)]
    statuses = [person.choices.get().status for person in people]
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted"]


def test_a_cancellation_gives_the_place_to_the_first_waiting(edition):
    session = workshop(edition, capacity=1, title_en="Climate workshop")
    first, second, third = (registered(edition, sessions=[session]) for _ in range(3))
    delivered()
    mail.outbox.clear()
    services.cancel(first)
    assert second.choices.get().status == "confirmed"
    assert third.choices.get().status == "waitlisted"
    subjects = {message.to[0]: message.subject for message in delivered()}
    assert subjects[second.email] == "A place is yours: Climate workshop"
    assert subjects[first.email] == "Your registration is cancelled"
    assert third.email not in subjects


def test_dropping_a_session_frees_its_place(edition):
    session = workshop(edition, capacity=1)
    first, second = (registered(edition, sessions=[session]) for _ in range(2))
    services.change_sessions(first, [])
    assert second.choices.get().status == "confirmed"
    assert not first.choices.exists()


def test_adding_a_full_session_waits_and_a_free_one_confirms(edition):
    full = workshop(edition, capacity=1, hour=9)
    free = workshop(edition, capacity=5, hour=14)
    registered(edition, sessions=[full])
    person = registered(edition)
    waiting = services.change_sessions(person, [full, free])
    assert waiting == [full]
    assert dict(person.choices.values_list("session", "status")) == {
        full.pk: "waitlisted", free.pk: "confirmed",
    }  # fmt: skip


def test_the_overall_capacity_holds_and_a_waiting_list_follows(edition):
    edition.capacity = 2
    edition.save()
    people = [registered(edition) for _ in range(3)]
    assert [p.status for p in people] == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITLISTED]
    assert delivered()[-1].subject == "You are on the waiting list"
    services.cancel(people[0])
    people[2].refresh_from_db()
    assert people[2].status == Status.CONFIRMED
    assert "A place is free" in [m for m in delivered() if m.to[0] == people[2].email][-1].subject


def test_a_category_capacity_holds(edition):
    elected = category(edition)
    elected.capacity = 1
    elected.save()
    assert registered(edition).status == Status.CONFIRMED
    assert registered(edition).status == Status.WAITLISTED


def test_a_category_that_needs_approval_waits_for_the_organisers(edition, admin_user):
    session = workshop(edition, capacity=1)
    person = registered(edition, sessions=[session], category=category(edition, "press"))
    assert person.status == Status.AWAITING_APPROVAL
    assert person.choices.get().status == "requested"  # no place held while waiting
    assert delivered()[-1].subject == "Your registration awaits the organisers' approval"
    services.approve(person, admin_user)
    person.refresh_from_db()
    assert person.status == Status.CONFIRMED and person.choices.get().status == "confirmed"
    assert delivered()[-1].subject == "Your registration is confirmed"
    assert person.events.filter(action="approved", actor=admin_user).exists()


def test_a_rejection_is_e_mailed(edition, admin_user):
    person = registered(edition, category=category(edition, "press"))
    services.reject(person, admin_user)
    person.refresh_from_db()
    assert person.status == Status.REJECTED
    assert delivered()[-1].subject == "Your registration could not be accepted"


def test_organisers_act_after_the_deadline_registrants_cannot(edition, admin_user):
    person = registered(edition)
    edition.registration_closes_at = timezone.now() - datetime.timedelta(minutes=1)
    edition.save()
    person.edition.refresh_from_db()
    with pytest.raises(services.RegistrationClosed):
        services.cancel(person)
    services.cancel(person, actor=admin_user)
    person.refresh_from_db()
    assert person.status == Status.CANCELLED


def test_the_history_records_each_step(edition):
    session = workshop(edition)
    person = registered(edition, sessions=[session])
    services.change_sessions(person, [])
    services.cancel(person)
    actions = list(person.events.values_list("action", flat=True))
    assert actions == ["submitted", "address_confirmed", "status", "sessions_changed", "status"]
