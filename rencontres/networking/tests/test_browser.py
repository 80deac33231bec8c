"""Two participants find each other in Chromium, one asks for a meeting and the other accepts;
an organiser runs the scheduler and publishes; the agenda shows the meeting. axe-core checks
every page of the way, at desktop and phone widths."""

import pytest
from playwright.sync_api import expect
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
    page.get_by_label("Search a country").fill("sene")
    page.get_by_role("checkbox", name="Senegal").check()
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Claire Martin")).to_have_count(1)
    check(page)
    page.get_by_label("Show", exact=True).select_option("request")
    page.get_by_role("button", name="Search").click()
    assert "partenaire au Sénégal" in page.locator(".cards").inner_text()
    check(page)

    # She asks Claire for a meeting; an empty message is refused next to the field first.
    page.get_by_role("link", name="Claire Martin").first.click()
    check(page)
    page.get_by_role("button", name="Send my request").click()
    expect(page.locator("#field-message .errorlist")).to_have_count(1)
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
    expect(page.locator(".messages")).to_contain_text("Your availability is saved.")
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


def profile_state(registration):
    profile = registration.profile
    profile.refresh_from_db()
    return (
        sorted(profile.themes.values_list("code", flat=True)),
        sorted(str(code) for code in profile.countries),
        profile.language_codes,
        profile.about,
    )


@pytest.mark.parametrize("width", [1280, 360])
def test_a_profile_saved_as_it_is_keeps_its_themes_and_countries(browser_page, live_server,
                                                                  demo, width):  # fmt: skip
    """Once, saving the profile without touching it unticked every cooperation theme."""
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    claire = Registration.objects.get(first_name="Claire")
    before = profile_state(claire)
    assert before[0] and before[1], "the demo gives Claire themes and countries"
    page.goto(network(live_server, claire) + "profile/")
    themes = page.get_by_role("group", name="Cooperation themes you work on")
    assert themes.get_by_role("checkbox", checked=True).count() == len(before[0])
    check(page)
    page.get_by_role("button", name="Save my profile").click()
    assert "Your profile is saved" in page.locator(".messages").inner_text()
    assert profile_state(claire) == before
    page.goto(network(live_server, claire) + "profile/")
    assert themes.get_by_role("checkbox", checked=True).count() == len(before[0])


def test_countries_are_found_by_typing_and_ticked_without_ctrl(browser_page, live_server, demo):
    """A phone: the search box narrows 249 countries to a few, a tap ticks one (no Ctrl key);
    French or English names, with or without accents, and Enter on the only match."""
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 800})
    claire = Registration.objects.get(first_name="Claire")
    page.goto(network(live_server, claire).replace("/en/", "/fr/") + "profile/")
    countries = page.get_by_role("group", name="Pays avec lesquels vous travaillez")
    search = countries.get_by_label("Rechercher un pays")
    search.fill("viet")
    visible = countries.locator("li:visible")
    assert visible.all_inner_texts() == ["Vietnam"]
    search.fill("germany")  # an English name on the French page
    assert countries.locator("li:visible").all_inner_texts() == ["Allemagne"]
    search.press("Enter")  # ticks the only one left, does not send the form
    assert countries.get_by_role("checkbox", name="Allemagne").is_checked()
    search.fill("equateur")
    countries.get_by_role("checkbox", name="Équateur").check()
    assert "Allemagne" in countries.locator(".country-picker__chosen").inner_text()
    assert "1" in countries.get_by_role("status").inner_text()
    search.fill("")
    check(page)
    page.get_by_role("button", name="Enregistrer mon profil").click()
    assert {"DE", "EC"} <= {str(code) for code in Profile_of(claire).countries}


def Profile_of(registration):
    from rencontres.networking.models import Profile

    return Profile.objects.get(registration=registration)


def test_without_javascript_countries_are_boxes_to_tick(chromium, live_server, demo):
    from rencontres.editions.tests.test_browser import watch_csp

    context = chromium.new_context(java_script_enabled=False, viewport={"width": 360,
                                                                        "height": 800})  # fmt: skip
    watch_csp(context)
    page = context.new_page()
    claire = Registration.objects.get(first_name="Claire")
    page.goto(network(live_server, claire) + "profile/")
    countries = page.get_by_role("group", name="Countries you work with")
    assert (
        countries.get_by_label("Search a country").count() == 0
        or not countries.get_by_label("Search a country").is_visible()
    )
    chosen = countries.get_by_role("checkbox", checked=True).all()
    # The ticked ones come first: seen without scrolling through the list.
    first = countries.get_by_role("checkbox").all()[: len(chosen)]
    assert [box.get_attribute("value") for box in first] == [
        box.get_attribute("value") for box in chosen
    ]
    countries.get_by_role("checkbox", name="Uruguay").check()
    page.get_by_role("button", name="Save my profile").click()
    assert "UY" in {str(code) for code in Profile_of(claire).countries}
    context.close()
