"""One person, one page: everything about a registration for the team, the actions its status
allows (done through the same services as everywhere else), e-mails sent again, and a page
that reads in the same number of queries however long the history."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from rencontres.backoffice.models import AuditEntry
from rencontres.editions.tests.test_browser import check, log_in
from rencontres.mail.models import OutgoingEmail
from rencontres.registration import services
from rencontres.registration.models import Registration
from rencontres.registration.tests.factories import (
    category,
    open_edition,
    registered,
    workshop,
)

from .factories import member, one_of_each_status

pytestmark = pytest.mark.django_db

EXPECTED = {  # status: the actions the page offers
    "confirmed": ["resend", "replace_link", "cancel"],
    "awaiting_approval": ["approve", "reject", "resend", "replace_link", "cancel"],
    "waitlisted": ["confirm", "reject", "resend", "replace_link", "cancel"],
    "awaiting_confirmation": ["resend", "cancel"],
    "cancelled": [],
    "rejected": [],
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def page_of(client, person):
    url = reverse("backoffice:registration", args=[person.edition.number, person.pk])
    return client.get(url).content.decode()


def offered(html):
    return re.findall(r'<button type="submit" name="action" value="(\w+)"', html)


def test_the_page_offers_the_actions_each_status_allows(client):
    edition = open_edition()
    people = one_of_each_status(edition)
    client.force_login(member(edition, "staff"))
    for status, actions in EXPECTED.items():
        assert offered(page_of(client, people[status])) == actions, status


def test_an_action_goes_through_the_service_and_its_history_says_who(client):
    edition = open_edition()
    press = registered(
        edition, first_name="Inès", last_name="Haddad", category=category(edition, "press")
    )
    assert press.status == Registration.Status.AWAITING_APPROVAL
    organiser = member(edition, "organiser", username="claire")
    client.force_login(organiser)
    url = reverse("backoffice:registration_do", args=[edition.number, press.pk])
    response = client.post(url, {"action": "approve"}, follow=True)
    press.refresh_from_db()
    assert press.status == Registration.Status.CONFIRMED
    assert OutgoingEmail.objects.filter(
        registration=press, template="registration_confirmed"
    ).exists()
    assert AuditEntry.objects.filter(action="registration_approve", user=organiser).count() == 1
    html = response.content.decode()
    assert "Approve: done." in html
    assert "Approved" in html and "(by claire)" in html
    # Pressed again from a page opened before (another tab): refused, nothing changes.
    response = client.post(url, {"action": "approve"}, follow=True)
    assert "does not apply to this registration any more" in response.content.decode()
    assert AuditEntry.objects.filter(action="registration_approve").count() == 1
    assert client.post(url, {"action": "erase_everything"}).status_code == 302
    press.refresh_from_db()
    assert press.status == Registration.Status.CONFIRMED


def test_sessions_show_their_state_and_the_position_on_the_waiting_list(client):
    edition = open_edition()
    room = workshop(edition, capacity=1, title_en="Water and sanitation")
    registered(edition, sessions=[room])
    registered(edition, sessions=[room])
    third = registered(edition, sessions=[room], first_name="Olena")
    client.force_login(member(edition, "staff"))
    html = page_of(client, third)
    assert "Water and sanitation" in html
    assert "On the waiting list, position 2" in html


def test_sensitive_details_follow_the_role(client):
    edition = open_edition()
    person = registered(edition, diet="halal", access_needs="Wheelchair")
    Registration.objects.filter(pk=person.pk).update(passport_number="TN1234567")
    client.force_login(member(edition, "organiser"))
    html = page_of(client, person)
    assert "TN1234567" in html and "Wheelchair" in html
    client.force_login(member(edition, "staff"))  # needs, not passports
    html = page_of(client, person)
    assert "TN1234567" not in html and "Wheelchair" in html


def test_a_failed_e_mail_is_sent_again_to_the_address_corrected_since(client, mailoutbox):
    edition = open_edition()
    person = registered(edition, email="awa.ndiaye@exemple.sn")
    failed = OutgoingEmail.objects.create(
        recipient="awa.ndiay@exemple.sn", language="fr", template="private_link",
        subject="Votre lien", body_text="…", registration=person,
        status=OutgoingEmail.Status.FAILED, attempts=8, last_error="550 unknown user",
    )  # fmt: skip
    client.force_login(member(edition, "staff"))
    html = page_of(client, person)
    assert "550 unknown user" in html
    url = reverse("backoffice:email_resend", args=[edition.number, person.pk, failed.pk])
    client.post(url)
    failed.refresh_from_db()
    # The test settings send at once: it went out, to the address as it is now.
    assert failed.status == OutgoingEmail.Status.SENT and failed.recipient == person.email
    assert [m.to for m in mailoutbox if m.subject == "Votre lien"] == [[person.email]]
    response = client.post(url, follow=True)  # sent: nothing to send again
    assert "nothing to send again" in response.content.decode()


def test_the_page_reads_in_the_same_queries_however_long_the_history(client):
    edition = open_edition()
    person = registered(edition)
    client.force_login(member(edition, "staff"))
    page_of(client, person)  # warm: sessions, content types
    with CaptureQueriesContext(connection) as short:
        page_of(client, person)
    for _number in range(30):
        services.log(
            person, "details_changed", actor=member(edition, None), changes={"phone": ["…", "…"]}
        )
        services.resend_link(person)
    with CaptureQueriesContext(connection) as long:
        html = page_of(client, person)
    assert html.count("Details changed") == 30
    assert len(long) == len(short), [q["sql"] for q in long][-10:]


def test_another_editions_registration_is_not_found(client):
    edition = open_edition()
    other = open_edition(number=16)
    stranger = registered(other)
    client.force_login(member(edition, "organiser"))
    url = reverse("backoffice:registration", args=[edition.number, stranger.pk])
    assert client.get(url).status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_organiser_opens_someone_from_the_list_and_gives_them_a_place(browser_page, live_server):
    edition = open_edition()
    waiting = registered(edition, first_name="王", last_name="小明", email="xiaoming@example.cn")
    Registration.objects.filter(pk=waiting.pk).update(status=Registration.Status.WAITLISTED)
    page = browser_page
    log_in(page, live_server, f"/en/organiser/{edition.number}/registrations/")
    page.get_by_role("link", name="小明 王").click()
    assert page.get_by_role("heading", level=1).inner_text() == "王 小明"
    check(page)
    page.get_by_role("button", name="Give a place (from the waiting list)").click()
    assert "done" in page.locator(".messages, [role=status], .notice").first.inner_text()
    assert "Confirmed" in page.locator(".person-page__status").inner_text()
    page.goto(page.url.replace("/en/", "/fr/"))
    check(page)
