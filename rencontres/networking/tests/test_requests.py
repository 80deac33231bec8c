"""Meeting requests: asking, answering, blocking, cancelling, and what each e-mails."""

import pytest

from rencontres.networking import services
from rencontres.networking.models import Meeting, MeetingRequest
from rencontres.registration import services as registration_services

from .factories import delivered_to, open_edition, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return open_edition()


@pytest.fixture
def alice(edition):
    return person(edition, "Alice", themes=["water"])


@pytest.fixture
def bob(edition):
    return person(edition, "Bob", country="SN", kind="foreign_authority", themes=["water"])


def test_a_request_e_mails_the_person_asked(alice, bob):
    request = services.request_meeting(alice, bob, "Water in Thiès?")
    assert request.status == MeetingRequest.Status.PENDING
    assert delivered_to(bob.email, "meeting_requested") == 1


def test_the_same_request_twice_creates_one(alice, bob):
    first = services.request_meeting(alice, bob, "Hello")
    second = services.request_meeting(alice, bob, "Hello")
    assert first.pk == second.pk
    assert MeetingRequest.objects.count() == 1
    assert delivered_to(bob.email, "meeting_requested") == 1


def test_a_request_back_is_refused_while_one_waits(alice, bob):
    services.request_meeting(alice, bob, "Hello")
    with pytest.raises(services.NetworkingError, match="already asked you"):
        services.request_meeting(bob, alice, "Hello too")


def test_nobody_can_ask_themselves(alice):
    with pytest.raises(services.NetworkingError):
        services.request_meeting(alice, alice, "Me")


def test_a_person_hidden_from_the_directory_cannot_be_asked(edition, alice):
    hidden = person(edition, "Hidden", listed=False)
    with pytest.raises(services.NetworkingError, match="does not accept"):
        services.request_meeting(alice, hidden, "Hello")


def test_a_person_who_refuses_requests_cannot_be_asked(edition, alice):
    busy = person(edition, "Busy", accepts_requests=False)
    with pytest.raises(services.NetworkingError, match="does not accept"):
        services.request_meeting(alice, busy, "Hello")


def test_someone_without_a_profile_cannot_ask(edition, bob):
    from rencontres.registration.tests.factories import registered

    stranger = registered(edition)
    with pytest.raises(services.NetworkingError, match="profile"):
        services.request_meeting(stranger, bob, "Hello")


def test_accepting_creates_a_meeting_and_e_mails_both(alice, bob):
    request = services.request_meeting(alice, bob, "Hello")
    services.answer(request, bob, accept=True)
    meeting = Meeting.objects.get(request=request)
    assert set(meeting.participants.all()) == {alice, bob}
    assert delivered_to(alice.email, "meeting_accepted") == 1
    assert delivered_to(bob.email, "meeting_accepted") == 1


def test_answering_twice_changes_nothing(alice, bob):
    request = services.request_meeting(alice, bob, "Hello")
    services.answer(request, bob, accept=True)
    services.answer(request, bob, accept=False)
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.ACCEPTED
    assert Meeting.objects.count() == 1


def test_only_the_person_asked_can_answer(alice, bob):
    request = services.request_meeting(alice, bob, "Hello")
    with pytest.raises(services.NetworkingError):
        services.answer(request, alice, accept=True)


def test_declining_e_mails_the_sender_and_creates_no_meeting(alice, bob):
    request = services.request_meeting(alice, bob, "Hello")
    services.answer(request, bob, accept=False)
    assert delivered_to(alice.email, "meeting_declined") == 1
    assert not Meeting.objects.exists()


def test_a_blocked_person_can_no_longer_ask_and_their_pending_request_is_declined(alice, bob):
    request = services.request_meeting(alice, bob, "Hello")
    services.block(bob, alice)
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.DECLINED
    with pytest.raises(services.NetworkingError, match="does not accept"):
        services.request_meeting(alice, bob, "Again")
    services.unblock(bob, alice)
    assert services.request_meeting(alice, bob, "Again").status == "pending"


def test_a_delegation_can_meet_as_a_group(edition, bob):
    from rencontres.registration.models import Delegation

    head = person(edition, "Olena", country="UA", kind="foreign_authority")
    member = person(edition, "Petro", country="UA", kind="foreign_authority")
    delegation = Delegation.objects.create(edition=edition, name="Lviv",
                                           organisation=head.organisation)  # fmt: skip
    for someone in (head, member):
        someone.delegation = delegation
        someone.save()
    request = services.request_meeting(head, bob, "All of us", with_delegation=True)
    services.answer(request, bob, accept=True)
    assert set(request.meeting.participants.all()) == {head, member, bob}


def test_either_party_can_cancel_a_meeting_and_the_other_is_told(alice, bob):
    request = services.request_meeting(alice, bob, "Hello")
    services.answer(request, bob, accept=True)
    services.cancel_meeting(request.meeting, bob)
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.CANCELLED
    assert request.meeting.cancelled_at is not None
    assert delivered_to(alice.email, "meeting_cancelled") == 1


def test_cancelling_a_registration_cancels_its_meetings_and_requests(edition, alice, bob):
    carol = person(edition, "Carol")
    accepted = services.request_meeting(alice, bob, "Hello")
    services.answer(accepted, bob, accept=True)
    pending = services.request_meeting(carol, alice, "Hi")
    registration_services.cancel(alice)
    accepted.meeting.refresh_from_db()
    pending.refresh_from_db()
    assert accepted.meeting.cancelled_at is not None
    assert pending.status == MeetingRequest.Status.CANCELLED
    assert delivered_to(bob.email, "meeting_cancelled") == 1


def test_e_mails_speak_the_recipients_language(edition, alice):
    french = person(edition, "Jeanne", language="fr")
    french.language = "fr"
    french.save()
    services.request_meeting(alice, french, "Bonjour")
    from rencontres.mail.models import OutgoingEmail

    mail = OutgoingEmail.objects.get(recipient=french.email, template="meeting_requested")
    assert mail.language == "fr"
