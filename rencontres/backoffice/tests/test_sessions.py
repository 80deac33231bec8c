"""Waiting lists and sessions in the back-office: who holds a place and who waits, a place
given out of turn (beyond the capacity once confirmed), a person moved or taken out, the
capacity raised with the freed places given at once in order; each through the places
services, e-mailed, in the person's history with the team member and in the audit log, and
a second click doing nothing more. The list for the door as PDF and Excel."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from rencontres.mail.models import OutgoingEmail
from rencontres.models import AuditEntry
from rencontres.registration import services
from rencontres.registration.models import RegistrationEvent, SessionChoice
from rencontres.registration.tests.factories import open_edition, registered, workshop
from tests.documents import pdf_text

from .factories import member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Choice = SessionChoice.Status


@pytest.fixture
def full():
    """A workshop of 2 places held by Ana and Ben, with Chloé, David and Emma waiting in that
    order; Claire, an organiser, is logged in."""
    edition = open_edition()
    session = workshop(edition, capacity=2)
    people = {}
    for name in ("Ana", "Ben", "Chloé", "David", "Emma"):
        people[name] = registered(edition, first_name=name, last_name="Test", sessions=[session])
    return edition, session, people


@pytest.fixture
def claire(client, full):
    edition, _session, _people = full
    organiser = member(edition, "organiser", username="claire")
    client.force_login(organiser)
    return organiser


def status_in(session, person):
    return SessionChoice.objects.get(session=session, registration=person).status


def emails(template):
    return list(OutgoingEmail.objects.filter(template=template).values_list("recipient", flat=True))


def url(name, session, *args):
    return reverse(f"backoffice:{name}", args=[session.edition.number, session.pk, *args])


def test_the_session_page_lists_who_holds_a_place_and_the_waiting_list_in_order(
    client, full, claire
):
    _edition, session, people = full
    html = client.get(url("session", session)).content.decode()
    holders, waiting = html.split('id="waiting-title"')
    for name in ("Ana", "Ben"):
        assert name in holders and name not in waiting
    assert waiting.index("Chloé") < waiting.index("David") < waiting.index("Emma")
    person_link = reverse(
        "backoffice:registration", args=[session.edition.number, people["Ana"].pk]
    )
    assert person_link in holders


def test_the_sessions_page_counts_places_and_waiting_lists(client, full, claire):
    edition, session, _people = full
    workshop(edition, capacity=None, hour=16)  # no limit: not listed
    response = client.get(reverse("backoffice:sessions", args=[edition.number]))
    rows = [(s.pk, s.capacity, s.taken, s.waiting) for s in response.context["sessions"]]
    assert rows == [(session.pk, 2, 2, 3)]


def test_raising_the_capacity_gives_exactly_the_freed_places_in_order(client, full, claire):
    _edition, session, people = full
    response = client.post(url("session", session), {"capacity": "4"}, follow=True)
    assert [status_in(session, people[n]) for n in ("Chloé", "David", "Emma")] == [
        Choice.CONFIRMED, Choice.CONFIRMED, Choice.WAITLISTED,
    ]  # fmt: skip
    session.refresh_from_db()
    assert session.capacity == 4
    assert sorted(emails("session_promoted")) == sorted(
        [people["Chloé"].email, people["David"].email]
    )
    for name in ("Chloé", "David"):
        event = RegistrationEvent.objects.get(registration=people[name], action="session_promoted")
        assert event.actor == claire
    entry = AuditEntry.objects.get(action="session_capacity")
    assert entry.user == claire
    assert entry.details == {
        "session": session.pk, "previous": 2, "capacity": 4,
        "promoted": [people["Chloé"].pk, people["David"].pk],
    }  # fmt: skip
    assert "2 people from the waiting list got a place" in response.content.decode()


def test_the_same_capacity_sent_twice_promotes_nobody_twice(client, full, claire):
    _edition, session, people = full
    client.post(url("session", session), {"capacity": "3"})
    client.post(url("session", session), {"capacity": "3"})
    assert emails("session_promoted") == [people["Chloé"].email]
    assert RegistrationEvent.objects.filter(action="session_promoted").count() == 1
    assert [e.details["promoted"] for e in AuditEntry.objects.order_by("pk")] == [
        [people["Chloé"].pk], [],
    ]  # fmt: skip


def test_lowering_the_capacity_takes_no_place_from_anyone(client, full, claire):
    _edition, session, people = full
    client.post(url("session", session), {"capacity": "1"})
    assert (
        status_in(session, people["Ana"]) == status_in(session, people["Ben"]) == Choice.CONFIRMED
    )
    services.change_sessions(people["Ana"], [])  # a place freed, none given: 1 still taken
    assert status_in(session, people["Chloé"]) == Choice.WAITLISTED


def test_a_capacity_that_is_not_a_number_is_refused_next_to_the_field(client, full, claire):
    _edition, session, _people = full
    response = client.post(url("session", session), {"capacity": "lots"})
    assert response.status_code == 200
    assert response.context["form"].errors["capacity"]
    assert 'value="lots"' in response.content.decode()  # what was typed is kept
    session.refresh_from_db()
    assert session.capacity == 2


def test_a_place_given_out_of_turn_beyond_the_capacity_is_confirmed_first(client, full, claire):
    _edition, session, people = full
    emma = people["Emma"]
    asked = client.post(url("session_promote", session, emma.pk))
    assert asked.status_code == 200
    assert "beyond the capacity" in asked.content.decode()
    assert "is full: 2 places taken, for a capacity of 2." in asked.content.decode()
    assert status_in(session, emma) == Choice.WAITLISTED  # nothing done before the yes
    client.post(url("session_promote", session, emma.pk), {"beyond_capacity": "1"})
    assert status_in(session, emma) == Choice.CONFIRMED
    assert status_in(session, people["Chloé"]) == Choice.WAITLISTED  # out of turn
    assert emails("session_promoted") == [emma.email]
    event = RegistrationEvent.objects.get(registration=emma, action="session_promoted")
    assert event.actor == claire
    entry = AuditEntry.objects.get(action="session_promote")
    assert entry.details == {"session": session.pk, "registration": emma.pk,
                             "beyond_capacity": True}  # fmt: skip
    again = client.post(
        url("session_promote", session, emma.pk), {"beyond_capacity": "1"}, follow=True
    )
    assert "not on the waiting list any more" in again.content.decode()
    assert emails("session_promoted") == [emma.email]
    assert AuditEntry.objects.filter(action="session_promote").count() == 1


def test_a_place_left_is_given_without_asking(full):
    _edition, session, people = full
    type(session).objects.filter(pk=session.pk).update(capacity=3)  # raised in the admin
    assert services.places.promote_from_session_waiting_list(people["David"], session, None)
    assert status_in(session, people["David"]) == Choice.CONFIRMED


def test_moving_someone_gives_their_place_to_the_first_waiting(client, full, claire):
    edition, session, people = full
    later = workshop(edition, capacity=5, hour=16, title_en="Energy workshop")
    ana = people["Ana"]
    response = client.post(
        url("session_person", session, ana.pk), {"action": "move", "to": later.pk}, follow=True
    )
    assert "Ana Test is moved to “Energy workshop”" in response.content.decode()
    assert status_in(later, ana) == Choice.CONFIRMED
    assert not SessionChoice.objects.filter(session=session, registration=ana).exists()
    assert status_in(session, people["Chloé"]) == Choice.CONFIRMED
    assert emails("session_promoted") == [people["Chloé"].email]
    told = OutgoingEmail.objects.get(template="registration_changed", registration=ana)
    assert "The organisers have just changed your registration" in told.body_text
    assert "Energy workshop" in told.body_text
    assert "someone else has your link" not in told.body_text
    event = RegistrationEvent.objects.get(registration=ana, action="sessions_changed")
    assert event.actor == claire
    assert event.details == {"added": [later.pk], "dropped": [session.pk]}
    entry = AuditEntry.objects.get(action="session_move")
    assert entry.details == {"session": session.pk, "registration": ana.pk, "to": later.pk}
    again = client.post(
        url("session_person", session, ana.pk), {"action": "move", "to": later.pk}, follow=True
    )
    assert "no longer in this session" in again.content.decode()
    assert AuditEntry.objects.filter(action="session_move").count() == 1


def test_a_move_into_a_clash_or_onto_a_day_they_do_not_attend_is_refused(client, full, claire):
    edition, session, people = full
    ana = people["Ana"]
    afternoon = workshop(edition, capacity=5, hour=16, title_en="Afternoon")
    services.change_sessions(ana, [session, afternoon])
    same_time = workshop(edition, capacity=5, hour=16, title_en="Same time")
    page = url("session_person", session, ana.pk)
    response = client.post(page, {"action": "move", "to": same_time.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["to"] == [
        "“Same time” takes place at the same time as “Afternoon”, one of their sessions."
    ]
    type(ana).objects.filter(pk=ana.pk).update(days=[edition.days[-1].isoformat()])
    response = client.post(page, {"action": "move", "to": same_time.pk})
    assert "is on a day this person does not attend" in response.context["form"].errors["to"][0]
    assert status_in(session, ana) == Choice.CONFIRMED
    assert not SessionChoice.objects.filter(session=same_time).exists()
    assert not AuditEntry.objects.exists()


def test_taking_a_place_away_gives_it_to_the_first_waiting(client, full, claire):
    _edition, session, people = full
    ben = people["Ben"]
    client.post(url("session_person", session, ben.pk), {"action": "remove"})
    assert not SessionChoice.objects.filter(session=session, registration=ben).exists()
    assert status_in(session, people["Chloé"]) == Choice.CONFIRMED
    told = OutgoingEmail.objects.get(template="registration_changed", registration=ben)
    assert "Sessions dropped" in told.body_text
    assert AuditEntry.objects.get(action="session_remove").details == {
        "session": session.pk, "registration": ben.pk,
    }  # fmt: skip


def test_a_staff_member_acts_too_after_the_deadline(client, full):
    import datetime

    from django.utils import timezone

    edition, session, people = full
    type(edition).objects.filter(pk=edition.pk).update(
        registration_closes_at=timezone.now() - datetime.timedelta(days=1)
    )
    client.force_login(member(edition, "staff"))
    client.post(url("session_person", session, people["Ana"].pk), {"action": "remove"})
    assert status_in(session, people["Chloé"]) == Choice.CONFIRMED


def test_the_list_for_the_door_holds_the_names_and_the_waiting_list(client, full, claire):
    _edition, session, _people = full
    response = client.get(url("session_door_list", session))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Present" in text and "Waiting list" in text
    assert text.index("Test Ana") < text.index("Test Ben") < text.index("Waiting list")
    assert text.index("Test Chloé") < text.index("Test David") < text.index("Test Emma")
    assert "2 places taken of 2 · 3 people on the waiting list" in text
    assert AuditEntry.objects.get(action="session_list_pdf").details == {"session": session.pk}
    with translation.override("fr"):
        french = client.get(url("session_door_list", session).replace("/en/", "/fr/"))
    assert "Liste d’attente" in pdf_text(french.content) or "Liste d'attente" in pdf_text(
        french.content
    )


def test_the_list_as_excel_has_the_places_then_the_waiting_list_in_order(client, full, claire):
    _edition, session, _people = full
    response = client.get(url("session_spreadsheet", session))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("List", "Position on the waiting list", "Last name", "First name")
    assert [(row[0], row[1], row[3]) for row in rows[1:]] == [
        ("Place", None, "Ana"), ("Place", None, "Ben"), ("Waiting list", 1, "Chloé"),
        ("Waiting list", 2, "David"), ("Waiting list", 3, "Emma"),
    ]  # fmt: skip
    assert sheet.freeze_panes == "A2"
    assert AuditEntry.objects.filter(action="session_list_xlsx").count() == 1


def test_the_menu_has_the_sessions_for_those_who_handle_registrations(client, full):
    edition, _session, _people = full
    home = reverse("backoffice:home", args=[edition.number])
    sessions = reverse("backoffice:sessions", args=[edition.number])
    for role, shown in (("staff", True), ("viewer", False)):
        client.force_login(member(edition, role))
        assert (f'href="{sessions}"' in client.get(home).content.decode()) is shown, role
