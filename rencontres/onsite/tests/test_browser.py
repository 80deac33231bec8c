"""The check-in desk in Chromium: scans online, then the network drops (Playwright's offline
mode), scans go on against the downloaded list and wait in the browser, the network returns
and every check-in reaches the server once. axe-core checks the desk, the figures and the
badge screens at desktop and phone widths."""

import pytest
from playwright.sync_api import expect

from rencontres.editions.tests.test_browser import (
    assert_no_csp_violations,
    check,
    log_in,
    watch_csp,
)
from rencontres.onsite.models import CheckIn
from rencontres.onsite.tests.factories import running_edition
from rencontres.onsite.tokens import badge_token
from rencontres.registration.tests.factories import registered

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def scan(page, token):
    page.get_by_label("Badge code").fill(token)
    page.get_by_label("Badge code").press("Enter")


def test_the_desk_keeps_checking_in_without_network_and_loses_nothing(browser_page, live_server):
    edition = running_edition(allows_onsite_registration=True)
    awa, olena, jonas = (registered(edition, first_name=name) for name in ("Awa", "Olena", "Jonas"))
    page = browser_page
    log_in(page, live_server, f"/en/checkin/{edition.number}/")
    page.get_by_label("Door").fill("B")
    page.get_by_label("Door").dispatch_event("change")
    page.get_by_text("list of 3 people ready for offline use").wait_for()

    scan(page, badge_token(awa))
    result = page.locator("#scan-result")
    result.get_by_text("Welcome!").wait_for()
    assert "Awa" in result.inner_text()
    assert "scan-result--ok" in result.get_attribute("class")
    check(page)
    scan(page, badge_token(awa))
    result.get_by_text("Already checked in at").wait_for()
    assert "by door B" in result.inner_text()
    assert "scan-result--bad" in result.get_attribute("class")

    page.context.set_offline(True)
    scan(page, badge_token(olena))
    result.get_by_text("Checked offline").wait_for()
    assert "Olena" in result.inner_text() and "Welcome!" in result.inner_text()
    scan(page, badge_token(olena))
    result.get_by_text("Already checked in").wait_for()
    scan(page, "not-a-badge")
    result.get_by_text("Not in the list downloaded for offline use").wait_for()
    scan(page, badge_token(jonas))
    result.get_by_text("Jonas").wait_for()
    assert CheckIn.objects.count() == 1  # the server has seen nothing yet
    page.get_by_text("4 check-ins waiting to be sent").wait_for()
    check(page)

    page.context.set_offline(False)  # the page sends its queue when the network returns
    expect(page.get_by_text("waiting to be sent")).to_have_count(0)
    assert sorted(c.registration.first_name for c in CheckIn.objects.all()) == [
        "Awa", "Jonas", "Olena"]  # fmt: skip
    assert CheckIn.objects.filter(offline=True).count() == 2

    # Without a badge: search, check in by hand.
    page.get_by_label("Name, organisation or e-mail").fill("Ndiaye")
    page.get_by_role("button", name="Search").click()
    check(page)
    page.get_by_role("link", name="Register someone at the door").click()
    page.get_by_role("button", name="Register and check in").click()
    expect(page.get_by_role("alert").first).to_contain_text("Please correct")
    check(page)
    page.get_by_role("link", name="Back to the desk").click()
    page.get_by_role("link", name="Live figures").click()
    expect(page.locator(".figures")).to_contain_text("3")
    check(page)


def test_badge_screens_are_accessible(browser_page, live_server):
    edition = running_edition()
    for _ in range(3):
        registered(edition)
    page = browser_page
    log_in(page, live_server, f"/en/organiser/{edition.number}/badges/")
    check(page)
    page.get_by_role("button", name="Build the PDF").click()
    page.get_by_role("link", name="Download the PDF").wait_for()
    assert "3 badges are ready" in page.locator("main").inner_text()
    check(page)


def y4m_with_qr(path, token, width=640, height=480, frames=15):
    """A short video of a badge's QR code, for Chromium's fake camera (Y4M, 4:2:0)."""
    import segno

    matrix = [list(row) for row in segno.make(token, error="m", micro=False).matrix]
    scale = min(width, height) // (len(matrix) + 8)
    left = (width - len(matrix) * scale) // 2
    top = (height - len(matrix) * scale) // 2
    luma = bytearray([235]) * (width * height)  # white
    for row, cells in enumerate(matrix):
        for column, dark in enumerate(cells):
            if dark:
                for y in range(top + row * scale, top + (row + 1) * scale):
                    start = y * width + left + column * scale
                    luma[start : start + scale] = bytes([16]) * scale
    chroma = bytes([128]) * (width // 2 * height // 2)
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + bytes(luma) + chroma + chroma)


def test_the_camera_reads_a_badge(playwright, live_server, tmp_path):
    edition = running_edition()
    awa = registered(edition, first_name="Awa")
    video = tmp_path / "badge.y4m"
    y4m_with_qr(video, badge_token(awa))
    # A browser of its own: the fake camera is chosen at launch.
    browser = playwright.chromium.launch(
        executable_path="/usr/bin/chromium",
        args=["--no-sandbox", "--use-fake-device-for-media-stream",
              "--use-fake-ui-for-media-stream", f"--use-file-for-fake-video-capture={video}"],
    )  # fmt: skip
    try:
        context = browser.new_context(locale="en-GB", permissions=["camera"])
        watch_csp(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        log_in(page, live_server, f"/en/checkin/{edition.number}/")
        page.get_by_role("button", name="Use the camera").click()
        page.locator("#scan-result").get_by_text("Welcome!").wait_for()
        assert "Awa" in page.locator("#scan-result").inner_text()
        assert_no_csp_violations(page)  # the camera, jsQR and the answer work under the policy
    finally:
        browser.close()
    assert CheckIn.objects.get().registration == awa


def test_the_desk_refuses_check_ins_outside_the_days_until_an_organiser_accepts_them(
    browser_page, live_server
):
    """Online and offline, a clear "no check-in today"; the organiser's switch is on the
    desk, shown to every desk, and in the audit log."""
    from rencontres.registration.tests.factories import open_edition

    edition = open_edition()  # its days are next year
    awa, olena = registered(edition, first_name="Awa"), registered(edition, first_name="Olena")
    page = browser_page
    log_in(page, live_server, f"/en/checkin/{edition.number}/")
    banner = page.locator("#desk-days")
    assert "Today is not a day of the edition: check-ins are refused." in banner.inner_text()
    assert "4 November – 5 November 2027" in banner.inner_text()
    page.get_by_text("list of 2 people ready for offline use").wait_for()
    check(page)

    scan(page, badge_token(awa))
    result = page.locator("#scan-result")
    result.get_by_text("No check-in today").wait_for()
    assert "on the days of the edition only" in result.inner_text()
    assert "scan-result--bad" in result.get_attribute("class")
    page.context.set_offline(True)
    scan(page, badge_token(olena))
    result.get_by_text("Olena").wait_for(state="detached")  # the offline answer names nobody
    result.get_by_text("No check-in today").wait_for()
    assert "waiting to be sent" not in page.locator("#desk-state").inner_text()  # not queued
    check(page)
    page.context.set_offline(False)

    page.get_by_role("button", name="Accept check-ins today").click()
    expect(banner).to_contain_text("Check-ins are accepted today, outside the edition's days.")
    expect(banner).to_contain_text("Switched on by organiser at")
    # On a phone the badge code comes first, the notice after it.
    page.set_viewport_size({"width": 360, "height": 740})
    field = page.locator("#scan-token").bounding_box()
    assert field["y"] + field["height"] <= 740, field
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_text("list of 2 people ready for offline use").wait_for()
    scan(page, badge_token(awa))
    result.get_by_text("Welcome!").wait_for()
    page.context.set_offline(True)  # the list downloaded since knows today is open
    scan(page, badge_token(olena))
    result.get_by_text("Checked offline").wait_for()
    page.context.set_offline(False)
    page.get_by_text("1 check-in waiting to be sent").wait_for(state="detached")
    assert sorted(c.registration.first_name for c in CheckIn.objects.all()) == ["Awa", "Olena"]
    check(page)

    page.goto(f"{live_server.url}/en/organiser/{edition.number}/audit/")
    assert "Accepted check-ins outside the edition's days" in page.locator("table").inner_text()
    page.goto(f"{live_server.url}/checkin/{edition.number}/")  # in French, with the switch
    expect(page.locator("#desk-days")).to_contain_text("Les entrées sont acceptées aujourd'hui")
    page.get_by_role("button", name="Ne plus accepter les entrées aujourd'hui").click()
    expect(page.locator("#desk-days")).to_contain_text("les entrées sont refusées")
    check(page)


def log_in_at_the_desk(page, live_server, edition, username="jo"):
    """A check-in agent logs in through the back-office login and lands on the desk."""
    from rencontres.backoffice.tests.factories import member

    member(edition, "check_in", username=username)
    page.goto(f"{live_server.url}/en/organiser/login/?next=/en/checkin/{edition.number}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Check-in").wait_for()


def stored(page):
    """What this site keeps in the browser's localStorage, by key."""
    return page.evaluate("() => Object.fromEntries(Object.entries(localStorage))")


def test_logging_out_sends_the_queue_and_clears_the_desks_list(browser_page, live_server):
    edition = running_edition()
    awa, olena = (registered(edition, first_name=name) for name in ("Awa", "Olena"))
    page = browser_page
    log_in_at_the_desk(page, live_server, edition)
    page.get_by_text("list of 2 people ready for offline use").wait_for()
    assert "Awa" in stored(page)[f"rencontres-list-{edition.number}"]

    page.context.set_offline(True)
    scan(page, badge_token(olena))
    page.locator("#scan-result").get_by_text("Checked offline").wait_for()
    page.context.set_offline(False)
    page.get_by_role("button", name="Log out").click()  # sends the queue first
    page.get_by_role("heading", name="Log in").wait_for()
    assert not any(key.startswith("rencontres-") for key in stored(page)), stored(page)
    assert CheckIn.objects.get().registration == olena

    # From a page without the desk's script, the server's answer clears the storage.
    log_in_at_the_desk(page, live_server, edition, username="kim")
    page.get_by_text("list of 2 people ready for offline use").wait_for()
    page.get_by_role("link", name="Live figures").click()
    assert f"rencontres-list-{edition.number}" in stored(page)
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("heading", name="Log in").wait_for()
    assert not any(key.startswith("rencontres-") for key in stored(page)), stored(page)
    assert awa.check_ins.count() == 0


def test_the_desks_list_loses_people_cancelled_or_erased(browser_page, live_server):
    from rencontres.privacy.services import confirm_erasure, request_erasure
    from rencontres.registration import services as registration_services

    edition = running_edition()
    awa, olena, jonas = (registered(edition, first_name=name) for name in ("Awa", "Olena", "Jonas"))
    tokens = {person.first_name: badge_token(person) for person in (awa, olena, jonas)}
    page = browser_page
    log_in_at_the_desk(page, live_server, edition)
    page.get_by_text("list of 3 people ready for offline use").wait_for()
    listed = stored(page)[f"rencontres-list-{edition.number}"]
    assert all(name in listed for name in ("Awa", "Olena", "Jonas"))
    assert "@" not in listed and awa.organisation.name not in listed  # only what the desk needs

    registration_services.cancel(olena)
    confirm_erasure(request_erasure(jonas, "email")[0], actor=None)  # his own request
    page.evaluate("() => window.dispatchEvent(new Event('online'))")  # as the network returns
    page.get_by_text("list of 1 person ready for offline use").wait_for()
    listed = stored(page)[f"rencontres-list-{edition.number}"]
    assert "Awa" in listed and "Olena" not in listed and "Jonas" not in listed

    page.context.set_offline(True)
    scan(page, tokens["Jonas"])
    page.get_by_text("Not in the list downloaded for offline use").wait_for()
    scan(page, tokens["Awa"])
    page.locator("#scan-result").get_by_text("Awa").wait_for()
    page.context.set_offline(False)


def test_the_desk_forgets_its_list_when_it_expires_or_is_refused(browser_page, live_server):
    from rencontres.models import Membership

    edition = running_edition()
    awa = registered(edition, first_name="Awa")
    page = browser_page
    log_in_at_the_desk(page, live_server, edition)
    page.get_by_text("list of 1 person ready for offline use").wait_for()
    key = f"rencontres-list-{edition.number}"

    # A list kept past its date (the edition is over, or a day went by offline) is dropped.
    page.context.set_offline(True)
    page.evaluate(
        """key => { const list = JSON.parse(localStorage.getItem(key));
                    list.expires_at = new Date(Date.now() - 1000).toISOString();
                    localStorage.setItem(key, JSON.stringify(list)); }""",
        key,
    )
    scan(page, badge_token(awa))
    page.get_by_text("Not in the list downloaded for offline use").wait_for()
    assert key not in stored(page)
    page.context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.get_by_text("list of 1 person ready for offline use").wait_for()

    # The agent's role is taken away: the next refresh is refused, and the list goes.
    Membership.objects.filter(user__username="jo").delete()
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.wait_for_function("key => localStorage.getItem(key) === null", arg=key)
    assert "list of" not in page.locator("#desk-state").inner_text()


def test_the_desk_prints_a_badge_only_when_someone_clicks(browser_page, live_server):
    from rencontres.onsite.models import BadgePrinting

    edition = running_edition()
    registered(edition, first_name="Awa", last_name="Ndiaye")
    page = browser_page
    log_in_at_the_desk(page, live_server, edition)
    page.get_by_label("Name, organisation or e-mail").fill("Ndiaye")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("button", name="Print the badge")).to_be_visible()
    assert not BadgePrinting.objects.exists()  # showing the button records nothing
    check(page)
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Print the badge").click()
    opened.value.wait_for_load_state()
    assert BadgePrinting.objects.count() == 1
