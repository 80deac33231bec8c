"""Stored script never runs: Mallory registers with markup and scripts for her name, job,
organisation, profile, post and meeting request; Chromium then opens every page and e-mail
that shows them (directory, her profile, the person she wrote to, her private pages, the
back-office lists, dashboard and audit log, the meetings' result and table plan, the admin,
the check-in desk's search and scan, the mailing preview, the e-mails as HTML) and no script
runs, no dialog opens; her badge, invitation letter and Walter's agenda print her name as she
typed it."""

import datetime
import io
import re

import pytest
from django.urls import reverse

from rencontres.backoffice import mailings
from rencontres.backoffice.models import Mailing
from rencontres.editions.tests.test_browser import log_in
from rencontres.mail.models import OutgoingEmail
from rencontres.models import AuditEntry
from rencontres.networking import services as networking
from rencontres.networking.tests.factories import person, slots, tables
from rencontres.onsite.tests.factories import running_edition
from rencontres.onsite.tokens import badge_token
from rencontres.registration.tests.factories import organisation, registered

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_NAME = "<script>window.__pwned=1</script>"
LAST_NAME = '"><img src=x onerror="window.__pwned=1">'
JOB = "'><svg onload=window.__pwned=1>"
ORGANISATION = '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>'
ABOUT = (
    "</textarea><script>alert('about')</script> https://example.org/\"onmouseover=\"alert(1) "
    "javascript:alert(2)"
)
REGIONS = '<a href="javascript:alert(1)">Casamance</a>'
TITLE = "<script>alert('post')</script>"
MESSAGE = "<img src=x onerror=alert('message')>\nwww.example.org/<script>alert(3)</script>"


class Watch:
    """Records the dialogs a page opens (and closes them) and reads window.__pwned."""

    def __init__(self, page):
        self.page, self.dialogs = page, []
        page.on("dialog", self.record)

    def record(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def assert_nothing_ran(self, what, shows=None):
        self.page.wait_for_load_state("load")
        self.page.wait_for_timeout(150)  # an image's onerror fires once its request fails
        pwned = self.page.evaluate("window.__pwned")
        assert pwned is None and not self.dialogs, (what, pwned, self.dialogs)
        if shows is not None:  # the payload is there, as text
            assert shows in self.page.inner_text("body"), (what, shows)


@pytest.fixture
def mallory():
    edition = running_edition(allows_onsite_registration=True)  # the desk checks in today
    victor = person(edition, "Victor")
    mallory = registered(
        edition,
        first_name=FIRST_NAME,
        last_name=LAST_NAME,
        job_title=JOB,
        organisation=organisation(ORGANISATION, "SN", "foreign_authority"),
        passport_name=FIRST_NAME,
        passport_number="XK7736021",
        nationality="SN",
        date_of_birth=datetime.date(1984, 3, 9),
        directory_opt_in=True,
    )
    networking.save_profile(
        mallory,
        {"themes": [], "countries": ["SN"], "languages": ["fr"], "about": ABOUT,
         "regions": REGIONS, "show_about": True, "show_job_title": True},
    )  # fmt: skip
    mallory.refresh_from_db()
    networking.save_post(
        mallory.profile,
        {"kind": "offer", "title": TITLE, "text": ABOUT, "themes": [], "countries": []},
    )
    networking.request_meeting(mallory, victor, MESSAGE)
    # A meeting with Walter, scheduled and published: her name is in the plans and agendas.
    walter = person(edition, "Walter")
    networking.answer(networking.request_meeting(walter, mallory, "Hello"), mallory, accept=True)
    slots(edition, count=2)
    tables(edition, count=1)
    networking.publish(networking.execute(networking.start_run(edition)))
    # An organiser's e-mail to a list, her name filled in, beside a link (urlize runs on it).
    mailings.queue_one(
        Mailing(edition=edition, subject_fr="{name}", subject_en="{name}",
                body_fr="Bonjour {name} http://example.org/{last_name} {organisation}",
                body_en="Hello {name} http://example.org/{last_name} {organisation}"),
        mallory,
    )  # fmt: skip
    AuditEntry.objects.create(
        edition=edition, action="export_csv", details={"filters": {"query": LAST_NAME}}
    )
    return edition, mallory, victor


def walter(edition):
    return edition.registrations.get(first_name="Walter")


def private(registration, name="registration:private"):
    return reverse(name, args=[registration.public_id, registration.secret])


def test_the_detector_sees_a_script_that_runs(browser_page):
    """The check below can fail: markup that runs is caught."""
    watch = Watch(browser_page)
    browser_page.set_content(f"<p>{LAST_NAME}</p>")
    with pytest.raises(AssertionError):
        watch.assert_nothing_ran("unescaped markup")


def test_participants_pages_show_hostile_text_as_text(browser_page, live_server, mallory):
    edition, mallory, victor = mallory
    page, watch = browser_page, Watch(browser_page)
    person_page = reverse("networking:person", args=[victor.public_id, victor.secret,
                                                     mallory.profile.pk])  # fmt: skip
    pages = [
        (private(victor, "networking:directory"), FIRST_NAME),
        (private(victor, "networking:directory") + "?show=offer", TITLE),
        # A word of her text about us: on PostgreSQL the search reads words, and her name is
        # all markup (its tags hold none).
        (private(victor, "networking:directory") + "?q=alert", FIRST_NAME),
        (person_page, "alert('about')"),
        (private(victor, "networking:home"), "alert('message')"),
        (private(mallory), FIRST_NAME),
        (private(mallory, "registration:details"), None),
        (private(mallory, "registration:letter"), None),
        (private(mallory, "networking:profile"), None),
        (private(mallory, "networking:home"), TITLE),
        (private(walter(edition), "networking:agenda"), FIRST_NAME),
    ]
    for path, shows in pages:
        page.goto(f"{live_server.url}/en{path[3:]}")
        watch.assert_nothing_ran(path, shows)
    # The forms give the values back as they were typed (nothing lost, nothing run).
    page.goto(f"{live_server.url}{private(mallory, 'networking:profile')}")
    assert page.locator("textarea[name=about]").input_value() == ABOUT
    page.goto(f"{live_server.url}{private(mallory, 'registration:details')}")
    assert page.locator("input[name=last_name]").input_value() == LAST_NAME
    page.goto(f"{live_server.url}{private(mallory, 'registration:letter')}")
    assert page.locator("input[name=passport_name]").input_value() == FIRST_NAME


def test_organisers_pages_and_the_desk_show_hostile_text_as_text(
    browser_page, live_server, mallory
):
    edition, mallory, _victor = mallory
    page, watch = browser_page, Watch(browser_page)
    number = edition.number
    log_in(page, live_server, f"/en/organiser/{number}/")
    watch.assert_nothing_ran("dashboard")
    for path, shows in [
        (f"/en/organiser/{number}/registrations/", FIRST_NAME),
        (f"/en/organiser/{number}/registrations/?q=window", ORGANISATION),
        (f"/en/organiser/{number}/audit/", None),
        (f"/en/checkin/{number}/?q=window", FIRST_NAME),
        (f"/en/checkin/{number}/figures/", None),
        (f"/en/organiser/{number}/meetings/", None),
        (f"/en/organiser/{number}/meetings/runs/{edition.schedule_runs.get().pk}/", FIRST_NAME),
        (f"/en/organiser/{number}/meetings/plan/", FIRST_NAME),
        ("/admin/registration/registration/?q=window", FIRST_NAME),
        (f"/admin/registration/registration/{mallory.pk}/change/", None),
        ("/admin/networking/cooperationpost/", TITLE),
        ("/admin/networking/meetingrequest/", None),
        ("/admin/mail/outgoingemail/", None),
    ]:
        page.goto(f"{live_server.url}{path}")
        watch.assert_nothing_ran(path, shows)
    # The audit log shows the search as text.
    page.goto(f"{live_server.url}/en/organiser/{number}/audit/")
    assert "onerror" in page.inner_text("main")

    # The desk's script writes the scan's answer (name, organisation) into the page.
    page.goto(f"{live_server.url}/en/checkin/{number}/")
    page.get_by_label("Badge code").fill(badge_token(mallory))
    page.get_by_label("Badge code").press("Enter")
    page.locator("#scan-result").get_by_text("Welcome!").wait_for()
    watch.assert_nothing_ran("desk scan", FIRST_NAME)

    # The mailing preview fills her name into the organiser's text.
    page.goto(f"{live_server.url}/en/organiser/{number}/mailings/new/?q=window")
    for label, text in [("Subject (French)", "Bonjour {name}"), ("Subject (English)", "Hi {name}"),
                        ("Message (French)", "Bonjour {name} de {organisation}"),
                        ("Message (English)", "Hello {name} from {organisation}")]:  # fmt: skip
        page.get_by_label(label).fill(text)
    page.get_by_role("button", name="Preview").click()
    watch.assert_nothing_ran("mailing preview", f"Hello {FIRST_NAME}")


def test_e_mails_show_hostile_text_as_text(browser_page, mallory):
    _edition, mallory, victor = mallory
    watch = Watch(browser_page)
    emails = OutgoingEmail.objects.filter(registration__in=[mallory, victor])
    assert {"meeting_requested", "registration_confirmed", "mailing"} <= set(
        emails.values_list("template", flat=True)
    )
    shown_to = {"meeting_requested": victor.pk, "mailing": mallory.pk}
    named = set()
    for message in emails:
        browser_page.set_content(message.body_html)
        watch.assert_nothing_ran(f"e-mail {message.template}")
        # The plain text parts show what was typed, not HTML entities.
        assert "&lt;" not in message.subject + message.body_text, message.template
        if shown_to.get(message.template) == message.registration_id:
            assert FIRST_NAME in message.subject, message.subject
            assert FIRST_NAME in browser_page.inner_text("body"), message.template
            named.add(message.template)
    assert named == set(shown_to)  # both e-mails that carry her name were read


def pdf_text(content):
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", "", text)


def test_pdfs_print_hostile_names_literally(client, mallory):
    edition, mallory, _victor = mallory
    squeeze = lambda text: re.sub(r"\s+", "", text)  # noqa: E731 (text wraps on badges)
    badge = client.get(private(mallory, "onsite:own_badge"))
    assert badge.status_code == 200
    text = pdf_text(badge.content)
    assert squeeze(f"{FIRST_NAME}{LAST_NAME}") in text, text
    assert squeeze(ORGANISATION) in text, text
    letter = client.get(private(mallory, "registration:invitation"))
    assert squeeze(FIRST_NAME) in pdf_text(letter.content)
    agenda = client.get(private(walter(edition), "networking:agenda_pdf"))
    assert squeeze(f"{FIRST_NAME}{LAST_NAME}") in pdf_text(agenda.content)
