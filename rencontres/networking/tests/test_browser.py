"""Two participants find each other in Chromium, one asks for a meeting and the other accepts;
an organiser runs the scheduler and publishes; the agenda shows the meeting. axe-core checks
every page of the way, at desktop and phone widths."""

import pytest
from pypdf import PdfReader

from rencontres.editions.demo import load_demo
from rencontres.editions.tests.test_browser import check, log_in
from rencontres.networking.demo import load_networking_demo
from rencontres.networking.models import Meeting, MeetingRequest
from rencontres.registration.models import Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server, settings):
    settings.SITE_URL = live_server.url
    edition, _ = load_demo()
    load_networking_demo(edition)
    return edition


def network(live_server, registration):
    return f"{live_server.url}/en/r/{registration.public_id}/{registration.secret}/network/"


def test_two_participants_meet_and_the_meeting_reaches_their_agenda(browser_page, live_server,
                                                                     demo):  # fmt: skip
    page = browser_page
    aminata = Registration.objects.get(first_name="Aminata")
    claire = Registration.objects.get(first_name="Claire")

    # Aminata opens the exchange from her registration page.
    page.goto(f"{live_server.url}/en/r/{aminata.public_id}/{aminata.secret}/")
    page.get_by_role("link", name="Open the project exchange").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Project exchange"
    assert page.locator(".suggestions").get_by_text("Claire Martin").count() == 1
    check(page)

    # She searches the directory for water partners working with Senegal.
    page.get_by_role("link", name="Directory").click()
    page.get_by_label("Theme", exact=True).select_option(label="Water and sanitation")
    page.get_by_label("Country", exact=True).select_option("SN")
    page.get_by_role("button", name="Search").click()
    assert page.get_by_role("link", name="Claire Martin").count() == 1
    check(page)
    page.get_by_label("Show", exact=True).select_option("request")
    page.get_by_role("button", name="Search").click()
    assert "partenaire au Sénégal" in page.locator(".cards").inner_text()
    check(page)

    # She asks Claire for a meeting; an empty message is refused next to the field first.
    page.get_by_role("link", name="Claire Martin").first.click()
    check(page)
    page.get_by_role("button", name="Send my request").click()
    assert page.locator("#field-message .errorlist").count() == 1
    page.get_by_label("Your message").fill("Let us talk about water in Thiès.")
    page.get_by_role("button", name="Send my request").click()
    assert "Your request is sent" in page.locator(".messages").inner_text()
    request = MeetingRequest.objects.get(sender=aminata, recipient=claire)

    # Her profile and post pages.
    page.get_by_role("link", name="My profile").click()
    check(page)
    page.goto(network(live_server, aminata) + "posts/new/")
    check(page)

    # Claire accepts; she marks a slot when she cannot meet.
    page.goto(network(live_server, claire))
    page.get_by_role("button", name="Accept – Aminata Diallo").click()
    assert "Meeting accepted" in page.locator(".messages").inner_text()
    request.refresh_from_db()
    assert request.status == "accepted"
    check(page)
    page.get_by_role("link", name="My availability").click()
    page.get_by_role("checkbox").first.check()
    check(page)
    page.get_by_role("button", name="Save my availability").click()
    assert claire.unavailable_slots.count() == 1

    # An organiser runs the scheduler and publishes the schedule.
    log_in(page, live_server, f"/en/organiser/{demo.number}/meetings/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Bilateral meetings")
    check(page)
    page.get_by_role("button", name="Run the scheduler").click()
    page.get_by_role("button", name="Publish this schedule").wait_for()
    assert "Meetings per participant" in page.content()
    check(page)
    page.get_by_role("button", name="Publish this schedule").click()
    assert "Schedule published" in page.locator(".messages").inner_text()
    meeting = Meeting.objects.get(request=request)
    assert meeting.table is not None
    assert meeting.slot not in claire.unavailable_slots.all()
    page.get_by_role("link", name="Table plan (printable)").click()
    check(page)

    # Claire's agenda shows the meeting with its table and the other party.
    page.goto(network(live_server, claire) + "agenda/")
    agenda = page.locator("main").inner_text()
    assert "Aminata Diallo" in agenda and f"Table {meeting.table.number}" in agenda
    check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my agenda (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    reader = PdfReader(download.value.path())
    pdf = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Aminata Diallo" in pdf and f"Table {meeting.table.number}" in pdf


def test_the_directory_is_for_participants_and_accessible(browser_page, live_server, demo):
    page = browser_page
    viewer = Registration.objects.get(first_name="Moussa")
    page.goto(network(live_server, viewer) + "directory/")
    assert page.locator(".person-card").count() == 24  # the 24 who opted in, oneself too
    check(page)
