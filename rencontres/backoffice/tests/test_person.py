"""One person, one page: everything about a registration for the team, the actions its status
allows (done through the same services as everywhere else), e-mails sent again, and a page
that reads in the same number of queries however long the history."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from rencontres.editions.tests.test_browser import check, log_in
from rencontres.mail.models import OutgoingEmail
from rencontres.models import AuditEntry
from rencontres.registration import services
from rencontres.registration.models import Registration
from rencontres.registration.tests.factories import (
    category,
    open_edition,
    registered,
    workshop,
)

from .factories import member, one_of_each_status

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

EXPECTED = {  # status: the actions the page offers
    "confirmed": ["resend", "replace_link", "cancel"],
    "awaiting_approval": ["approve", "reject", "resend", "replace_link", "cancel"],
    "waitlisted": ["confirm", "reject", "resend", "replace_link", "cancel"],
    "awaiting_confirmation": ["resend", "cancel"],
    "cancelled": [],
    "rejected": [],
}


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


def test_a_failed_e_mail_is_sent_again_to_the_address_corrected_since(
    client, mailoutbox, send_again
):
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
    response = send_again(person, failed)
    assert "will be sent again" in response
    failed.refresh_from_db()
    # The test settings send at once: it went out, to the address as it is now.
    assert failed.status == OutgoingEmail.Status.SENT and failed.recipient == person.email
    assert [m.to for m in mailoutbox if m.subject == "Votre lien"] == [[person.email]]
    assert "nothing to send again" in send_again(person, failed)  # sent: nothing to do


def nonce_of(html):
    return re.search(r'name="form_nonce" value="([^"]+)"', html).group(1)


def test_a_double_click_on_replace_the_link_replaces_it_once(client):
    """Both requests carry the page's one-time value: the second finds the first's work and
    says it is done. Two replacements would send two e-mails, the first one's link dead."""
    edition = open_edition()
    person = registered(edition)
    client.force_login(member(edition, "organiser"))
    url = reverse("backoffice:registration_do", args=[edition.number, person.pk])
    data = {"action": "replace_link", "form_nonce": nonce_of(page_of(client, person))}
    first = person.secret
    client.post(url, data)
    person.refresh_from_db()
    second = person.secret
    response = client.post(url, data, follow=True)
    person.refresh_from_db()
    assert first != second == person.secret
    assert person.events.filter(action="link_replaced").count() == 1
    links = OutgoingEmail.objects.filter(registration=person, template="private_link")
    assert links.count() == 1 and second in links.get().body_text
    assert "Replace their private link (the old one stops working): done." in (
        response.content.decode()
    )
    # The page opened again (a new one-time value) replaces it again, on purpose.
    data["form_nonce"] = nonce_of(page_of(client, person))
    client.post(url, data)
    person.refresh_from_db()
    assert person.secret != second and links.count() == 2


def failed(email):
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.FAILED, attempts=12, last_error="550 mailbox unavailable"
    )
    return email


@pytest.fixture
def send_again(client, django_capture_on_commit_callbacks):
    """Press "Send again": the outbox sends once the request's transaction commits."""

    def press(person, email):
        url = reverse("backoffice:email_resend", args=[person.edition.number, person.pk, email.pk])
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, follow=True).content.decode()

    return press


def sent_again(mailoutbox, email):
    """The copy of `email` the outbox sent (it carries the message's own Message-ID)."""
    (message,) = [m for m in mailoutbox if m.extra_headers["Message-ID"] == email.message_id]
    return message


def test_an_e_mail_sent_again_carries_the_private_link_as_it_is_now(client, mailoutbox, send_again):
    """The message failed, then the link was replaced (it went astray): sent again as it
    was stored, it would carry the old link, which opens nothing now."""
    edition = open_edition()
    person = registered(edition, email="awa.ndiaye@exemple.sn")
    services.resend_link(person)
    stored = failed(OutgoingEmail.objects.filter(template="private_link").get())
    old = person.secret
    services.replace_link(person, actor=member(edition, "organiser"))
    assert person.secret != old
    client.force_login(member(edition, "staff"))
    assert "will be sent again" in send_again(person, stored)
    message = sent_again(mailoutbox, stored)
    assert services.private_link(person) in message.body and old not in message.body
    assert old not in message.alternatives[0][0]
    stored.refresh_from_db()
    assert stored.status == OutgoingEmail.Status.SENT and old not in stored.body_html


def test_an_address_confirmation_sent_again_carries_a_link_that_works(
    client, mailoutbox, send_again
):
    from rencontres.registration.services.messages import registration_from_confirmation_token

    edition = open_edition()
    person = registered(edition, confirm=False)
    stored = failed(OutgoingEmail.objects.get(registration=person, template="confirm_address"))
    person.rotate_secret()
    client.force_login(member(edition, "staff"))
    send_again(person, stored)
    message = sent_again(mailoutbox, stored)
    token = re.search(r"/confirm/([^/\s]+)/", message.body).group(1)
    assert registration_from_confirmation_token(token) == person


def test_a_mailing_sent_again_is_filled_with_the_link_as_it_is_now(client, mailoutbox, send_again):
    from rencontres.backoffice.mailings import queue_one
    from rencontres.backoffice.models import Mailing

    edition = open_edition()
    person = registered(edition, language="fr")
    organiser = member(edition, "organiser")
    mailing = Mailing.objects.create(
        edition=edition, created_by=organiser, subject_fr="Programme", subject_en="Programme",
        body_fr="Bonjour {first_name}, votre page : {private_link}", body_en="Hello {private_link}",
        nonce="programme",
    )  # fmt: skip
    stored = failed(queue_one(mailing, person))
    old = person.secret
    services.replace_link(person, actor=organiser)
    client.force_login(organiser)
    send_again(person, stored)
    message = sent_again(mailoutbox, stored)
    assert message.body.startswith("Bonjour Awa, votre page : " + services.private_link(person))
    assert old not in message.body


def test_a_message_with_a_replaced_link_it_cannot_make_again_is_not_sent(
    client, mailoutbox, send_again
):
    """Nothing tells how the old link came into this text: sent again, it would open
    nothing, so the team is told to send the link again instead."""
    edition = open_edition()
    person = registered(edition)
    old_link = services.private_link(person)
    stored = OutgoingEmail.objects.create(
        recipient=person.email, language="en", template="mailing", subject="Hello",
        body_text=f"Your page: {old_link}", registration=person,
        context={"subject": "Hello", "body": f"Your page: {old_link}"},
        status=OutgoingEmail.Status.FAILED,
    )  # fmt: skip
    person.rotate_secret()
    client.force_login(member(edition, "staff"))
    assert "send their link again instead" in send_again(person, stored)
    stored.refresh_from_db()
    assert stored.status == OutgoingEmail.Status.FAILED
    assert not [m for m in mailoutbox if m.extra_headers["Message-ID"] == stored.message_id]
    assert not AuditEntry.objects.filter(action="email_resent").exists()


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


def test_the_meetings_name_whom_the_person_meets(client):
    from rencontres.networking import services as networking
    from rencontres.networking.tests.factories import person as participant

    edition = open_edition()
    bob, dave = participant(edition, "Bob"), participant(edition, "Dave")
    networking.answer(networking.request_meeting(bob, dave, "Hello"), dave, accept=True)
    client.force_login(member(edition, "staff"))
    for one, other in ((bob, dave), (dave, bob)):  # the person first or last among the two
        html = page_of(client, one)
        meetings = html[html.index('id="meetings-title"') : html.index('id="door-title"')]
        line = re.search(r"<li>(.*?)</li>", meetings).group(1)
        assert line == f"{other.full_name} ({other.organisation.name}) – not placed yet"


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


def closed(edition):
    import datetime

    from django.utils import timezone

    edition.registration_closes_at = timezone.now() - datetime.timedelta(days=1)
    edition.save()


def test_the_team_changes_details_after_the_deadline_and_the_history_says_who(client):
    edition = open_edition()
    person = registered(edition, first_name="Awa", last_name="Ndiaye", directory_opt_in=False)
    closed(edition)
    client.force_login(member(edition, "staff", username="karim"))
    url = reverse("backoffice:registration_details", args=[edition.number, person.pk])
    form = client.get(url).content.decode()
    # Consents are the person's to give; passports are not the staff's to see.
    assert 'name="directory_opt_in"' not in form and 'name="passport_name"' not in form
    assert 'name="diet"' in form
    data = {"first_name": "Awa", "last_name": "Ndiaye", "job_title": "Maire adjointe",
            "language": "fr", "phone": "+221 77 123 45 67", "directory_opt_in": "on"}  # fmt: skip
    response = client.post(url, data, follow=True)
    person.refresh_from_db()
    assert person.job_title == "Maire adjointe" and person.phone == "+221771234567"
    assert person.directory_opt_in is False  # not the team's to tick
    html = response.content.decode()
    assert "Details changed" in html and "(by karim)" in html
    assert AuditEntry.objects.filter(action="registration_details").count() == 1
    # Bad input: the message next to the field, what was typed kept.
    response = client.post(url, {**data, "phone": "call me", "job_title": "Adjointe"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Adjointe" in html and 'aria-invalid="true"' in html


def test_the_team_changes_sessions_after_the_deadline_with_places_and_waiting_lists(client):
    edition = open_edition()
    full = workshop(edition, capacity=1, title_en="Full workshop")
    roomy = workshop(edition, capacity=10, hour=16, title_en="Roomy workshop")
    registered(edition, sessions=[full])
    person = registered(edition, first_name="Olena")
    closed(edition)
    client.force_login(member(edition, "organiser"))
    url = reverse("backoffice:registration_sessions", args=[edition.number, person.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"sessions": [full.pk, roomy.pk]})
    states = dict(person.choices.values_list("session__title_en", "status"))
    assert states == {"Full workshop": "waitlisted", "Roomy workshop": "confirmed"}
    assert OutgoingEmail.objects.filter(
        registration=person, template="registration_changed"
    ).exists()
    services.cancel(person, actor=member(edition, "organiser"))
    response = client.get(url, follow=True)
    assert "holds no session" in response.content.decode()


def logged_actions():
    """Every action code the project writes into a registration's history: literal second
    arguments of `log(...)`, both branches of a conditional one, and the ways of registering."""
    import ast
    from pathlib import Path

    from rencontres.registration.services.submit import HOW_REGISTERED

    codes = {action for _prefix, action in HOW_REGISTERED.values()}
    for path in Path("rencontres").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            is_log = isinstance(node, ast.Call) and getattr(node.func, "id", None) == "log"
            if is_log and len(node.args) >= 2:
                for part in ast.walk(node.args[1]):
                    if isinstance(part, ast.Constant) and isinstance(part.value, str):
                        codes.add(part.value)
    return codes


def test_every_line_the_history_can_hold_has_words_in_both_languages():
    from rencontres.backoffice.person import HISTORY

    codes = logged_actions()
    assert {"consent_given", "sessions_changed", "submitted", "place_held"} <= codes
    assert codes - set(HISTORY) == set()
    for code in codes:
        with translation.override("fr"):
            french = str(HISTORY[code])
        assert french != str(HISTORY[code]), code


def test_history_details_are_words_not_codes(client):
    from rencontres.privacy.models import ConsentRecord
    from rencontres.registration.services.consents import set_consent

    edition = open_edition()
    water = workshop(edition, capacity=5, title_fr="Eau et assainissement")
    person = registered(edition, sessions=[water])
    set_consent(person, ConsentRecord.Consent.PHOTOS, True, ConsentRecord.Source.PRIVATE_PAGE)
    client.force_login(member(edition, "staff"))
    with translation.override("fr"):
        html = client.get(
            reverse("backoffice:registration", args=[edition.number, person.pk]),
            HTTP_ACCEPT_LANGUAGE="fr",
        ).content.decode()
    history = html[html.index('class="history"') :]
    assert "Consentement donné" in history and "Page personnelle" in history
    assert "Eau et assainissement" in history
    for code in ("consent_given", "private_page", "photos", "sessions :", "source"):
        assert code not in history, code


def test_an_erased_persons_page_offers_nothing_to_do_and_sends_nothing(client):
    from rencontres.privacy.services.erasure import erase_registrations

    edition = open_edition()
    person = registered(edition)
    OutgoingEmail.objects.filter(registration=person).update(status=OutgoingEmail.Status.PENDING)
    erase_registrations(Registration.objects.filter(pk=person.pk))
    stopped = OutgoingEmail.objects.filter(registration=person).first()
    assert stopped.status == OutgoingEmail.Status.FAILED
    client.force_login(member(edition, "organiser"))
    html = page_of(client, person)
    assert offered(html) == [] and "Send again" not in html
    details = reverse("backoffice:registration_details", args=[edition.number, person.pk])
    assert client.get(details).status_code == 404
    client.post(reverse("backoffice:email_resend", args=[edition.number, person.pk, stopped.pk]))
    stopped.refresh_from_db()
    assert stopped.status == OutgoingEmail.Status.FAILED
