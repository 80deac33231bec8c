"""Several organisers acting on the same session at the same instant, on PostgreSQL, through
the back-office's pages: a place given from the waiting list, someone moved in, the capacity
raised (which promotes the next in line) never give one place too many, and nobody is
promoted (nor e-mailed about it) twice. A double click on "Replace their private link"
replaces it once, however close the two clicks."""

import copy
from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse

from rencontres.mail.models import OutgoingEmail
from rencontres.registration.models import Registration, RegistrationEvent, SessionChoice
from rencontres.registration.tests.factories import open_edition, registered, workshop
from rencontres.registration.tests.test_concurrency import all_at_once

from .factories import member

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgresql,
    pytest.mark.usefixtures("english"),
]
Choice = SessionChoice.Status
ORGANISERS = 12


def organisers(edition, count=ORGANISERS):
    """Logged-in browsers of `count` organisers, one each."""
    clients = []
    for _number in range(count):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(member(edition, "organiser"))
        clients.append(client)
    return clients


def full_session(edition, capacity, waiting, hour=14):
    """A session whose `capacity` places are held, with `waiting` people on its list in order."""
    session = workshop(edition, capacity=capacity, hour=hour)
    holders = [registered(edition, sessions=[session]) for _ in range(capacity)]
    queue = [registered(edition, sessions=[session]) for _ in range(waiting)]
    assert all(
        SessionChoice.objects.get(session=session, registration=person).status == Choice.WAITLISTED
        for person in queue
    )
    return session, holders, queue


def places_taken(session):
    return session.choices.taking_a_place().count()


def promotions(session):
    """{registration id: times promoted in `session`} from the history and the e-mails."""
    events = Counter(
        RegistrationEvent.objects.filter(
            action="session_promoted", details__session=session.pk
        ).values_list("registration", flat=True)
    )
    emails = Counter(  # the tests' other sessions promote nobody
        OutgoingEmail.objects.filter(template="session_promoted").values_list(
            "registration", flat=True
        )
    )
    return events, emails


def promote(session, person, beyond=False):
    url = reverse(
        "backoffice:session_promote", args=[session.edition.number, session.pk, person.pk]
    )
    return url, {"beyond_capacity": "1"} if beyond else {}


def test_organisers_giving_the_last_places_at_once_never_overbook():
    """Three places freed (the capacity changed in the admin, say), twelve organisers each
    give one to a different waiting person: three get them, the other nine are asked
    whether they mean beyond the capacity, and stay on the list."""
    edition = open_edition()
    session, _holders, queue = full_session(edition, capacity=2, waiting=ORGANISERS)
    type(session).objects.filter(pk=session.pk).update(capacity=5)
    jobs = list(zip(organisers(edition), queue, strict=True))

    def give(job):
        client, person = job
        response = client.post(*promote(session, person))
        return "full" if response.status_code == 200 else response.status_code

    answers = Counter(all_at_once(give, jobs))
    assert answers == {302: 3, "full": ORGANISERS - 3}
    assert places_taken(session) == 5
    events, emails = promotions(session)
    assert len(events) == 3 and set(events.values()) == {1} and emails == events


def test_organisers_giving_the_same_person_a_place_at_once_promote_them_once():
    """Twelve organisers (or one impatient one) give the same waiting person a place, beyond
    the capacity: one place, one line of history, one e-mail."""
    edition = open_edition()
    session, _holders, queue = full_session(edition, capacity=2, waiting=3)
    person = queue[1]

    def give(client):
        return client.post(*promote(session, person, beyond=True)).status_code

    assert set(all_at_once(give, organisers(edition))) == {302}
    assert places_taken(session) == 3
    events, emails = promotions(session)
    assert events == {person.pk: 1} and emails == events
    assert SessionChoice.objects.get(session=session, registration=queue[0]).status == (
        Choice.WAITLISTED
    )


def test_capacity_raised_while_others_promote_and_move_people_in_never_overbooks():
    """At the same instant: four organisers raise the capacity from 2 to 6 (each page sends
    6: the places freed are given once), four give places out of turn, four move someone in
    from another session. However the requests interleave, the session ends with exactly 6
    places taken, each person holding or waiting once, none promoted twice."""
    edition = open_edition()
    session, _holders, queue = full_session(edition, capacity=2, waiting=10)
    elsewhere = workshop(edition, capacity=20, hour=9)
    movers = [registered(edition, sessions=[elsewhere]) for _ in range(4)]
    clients = organisers(edition)
    number = edition.number
    capacity_url = reverse("backoffice:session", args=[number, session.pk])
    jobs = [(client, capacity_url, {"capacity": "6"}) for client in clients[:4]]
    for client, person in zip(clients[4:8], queue[-4:], strict=True):
        jobs.append((client, *promote(session, person)))
    for client, person in zip(clients[8:], movers, strict=True):
        url = reverse("backoffice:session_person", args=[number, elsewhere.pk, person.pk])
        jobs.append((client, url, {"action": "move", "to": str(session.pk)}))

    def act(job):
        client, url, data = job
        return client.post(url, data).status_code

    assert set(all_at_once(act, jobs)) <= {200, 302}  # 200: "the session is full" asked
    session.refresh_from_db()
    assert session.capacity == 6
    assert places_taken(session) == 6
    rows = Counter(session.choices.values_list("registration", flat=True))
    assert set(rows.values()) == {1}  # nobody twice in the session
    assert len(rows) == 2 + 10 + 4  # nobody lost: holders, the waiting list, those moved in
    events, emails = promotions(session)
    assert set(events.values()) <= {1} and emails == events
    # Those moved left their other session, whatever became of them in this one.
    assert not SessionChoice.objects.filter(session=elsewhere, registration__in=movers).exists()


def test_a_double_click_on_replace_the_link_at_the_same_instant_replaces_it_once():
    edition = open_edition()
    person = registered(edition)
    client = organisers(edition, count=1)[0]
    page = client.get(reverse("backoffice:registration", args=[edition.number, person.pk]))
    nonce = page.context["form_nonce"]
    url = reverse("backoffice:registration_do", args=[edition.number, person.pk])
    clicks = [Client(HTTP_ACCEPT_LANGUAGE="en") for _ in range(8)]
    for browser in clicks:
        browser.cookies = copy.deepcopy(client.cookies)  # the same browser, clicking again

    def click(browser):
        return browser.post(url, {"action": "replace_link", "form_nonce": nonce}).status_code

    assert set(all_at_once(click, clicks)) == {302}
    person.refresh_from_db()
    assert person.events.filter(action="link_replaced").count() == 1
    (email,) = OutgoingEmail.objects.filter(registration=person, template="private_link")
    assert person.secret in email.body_text
    assert Registration.objects.get(pk=person.pk).secret == person.secret
