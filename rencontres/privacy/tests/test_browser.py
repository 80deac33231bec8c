"""A participant withdraws a consent, reads their data and asks for erasure; an organiser
confirms it. axe-core checks each new page at desktop and phone widths."""

import pytest
from playwright.sync_api import expect

from rencontres.editions.tests.test_browser import check, log_in
from rencontres.registration.tests.factories import open_edition

from .factories import zephyrine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_participant_manages_their_data_and_an_organiser_erases_them(browser_page, live_server):
    from rencontres.privacy.models import ErasureRequest

    edition = open_edition()
    person = zephyrine(edition)
    ErasureRequest.objects.all().delete()
    page = browser_page
    base = f"{live_server.url}/en/r/{person.public_id}/{person.secret}/"

    page.goto(base)
    page.get_by_role("link", name="My data and consents").click()
    assert page.get_by_role("heading", level=1).inner_text() == "My data and consents"
    check(page)
    page.locator("#consent-directory").click()
    assert "Your consent is withdrawn." in page.locator(".messages").inner_text()
    assert page.locator("#consent-directory").inner_text() == "Give this consent"
    check(page)

    page.get_by_role("link", name="See my data (printable page)").click()
    assert "QUARTERMAINE Zephyrine Olga" in page.locator("main").inner_text()
    check(page)
    page.go_back()

    page.get_by_role("link", name="Ask for erasure").click()
    page.get_by_role("button", name="Ask for erasure").click()
    expect(page.locator(".error-summary")).to_be_visible()  # the box was not ticked
    check(page)
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Ask for erasure").click()
    assert "Your request is recorded" in page.locator(".messages").inner_text()

    page.goto(f"{live_server.url}/en/privacy/")
    assert page.get_by_role("heading", level=1).inner_text() == "Privacy notice"
    check(page)

    log_in(page, live_server, f"/en/organiser/{edition.number}/privacy/")
    assert "Quartermaine" in page.locator("table").inner_text()
    check(page)
    page.get_by_role("link", name="Zéphyrine Quartermaine").click()
    check(page)
    page.go_back()
    page.get_by_role("button", name="Erase the data of Zéphyrine Quartermaine").click()
    check(page)
    page.get_by_role("button", name="Erase for good").click()
    assert "erased" in page.locator(".messages").inner_text()
    check(page)
    person.refresh_from_db()
    assert person.first_name == ""


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_form_shows_the_privacy_essentials_and_the_details_one_tap_away(
    browser_page, live_server, settings, language
):
    """CNIL's layered information: who, why, the rights and the notice at once; the legal
    bases, recipients and periods behind one tap, from the same settings. On a phone the
    first layer takes less than a screen (it took three)."""
    from rencontres.editions.demo import load_demo

    load_demo()
    settings.PRIVACY = {**settings.PRIVACY, "CONTROLLER_NAME": "Cités Unies France"}
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/{language}/register/")
    section = page.locator(".privacy-summary")
    assert section.bounding_box()["height"] < 800
    first_layer = section.inner_text()
    assert "Cités Unies France" in first_layer
    assert settings.PRIVACY["DPO_EMAIL"] in first_layer
    details = section.locator("details")
    assert not details.get_attribute("open") and details.locator("dd").first.is_hidden()
    details.locator("summary").click()
    assert details.locator("dd").first.is_visible()
    assert "6(1)(b)" in details.inner_text()  # the legal bases, from settings.PRIVACY
    check(page)
