"""No link loses what a person typed (static/js/keep-typed.js): the language switch carries the
typed values of any form to the page in the other language, and any other link that would drop
them asks first, in Chromium."""

import pytest
from playwright.sync_api import expect

from rencontres.editions.demo import load_demo
from rencontres.editions.tests.test_browser import check, log_in
from rencontres.networking.demo import load_networking_demo
from rencontres.registration.models import Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server, settings):
    settings.REGISTRATION_MIN_SECONDS = 0
    settings.SITE_URL = live_server.url
    edition, _ = load_demo()
    load_networking_demo(edition)
    return edition


def private_url(live_server, registration, language, rest=""):
    return f"{live_server.url}/{language}/r/{registration.public_id}/{registration.secret}/{rest}"


def confirmed(edition):
    return Registration.objects.get(edition=edition, first_name="Aminata")


def switch_to(page, name):
    page.locator(".language-switch").get_by_role("link", name=name).click()
    page.wait_for_load_state()


def carried_left_behind(page):
    return page.evaluate("window.sessionStorage.getItem('rencontres.typed')")


def test_switching_language_keeps_what_was_typed_in_the_networking_profile(
    browser_page, live_server, demo
):
    page = browser_page
    page.goto(private_url(live_server, confirmed(demo), "fr", "network/profile/"))
    page.locator("textarea[name=about]").fill("Jumelage avec Ouidah")
    theme = page.locator("input[name=themes]").nth(2)
    theme.check()
    value = theme.get_attribute("value")
    switch_to(page, "English")
    assert page.get_by_role("heading", level=1).inner_text() == "My profile"
    assert page.locator("textarea[name=about]").input_value() == "Jumelage avec Ouidah"
    assert page.locator(f"input[name=themes][value='{value}']").is_checked()
    assert carried_left_behind(page) is None  # read once, then gone from the tab
    check(page)
    page.get_by_role("button", name="Save my profile").click()
    registration = confirmed(demo)
    assert registration.profile.about == "Jumelage avec Ouidah"


def test_a_form_shown_again_with_its_errors_keeps_them_across_the_switch(
    browser_page, live_server, demo
):
    page = browser_page
    page.goto(private_url(live_server, confirmed(demo), "en", "details/"))
    page.get_by_label("Job title").fill("Deputy mayor for cooperation")
    page.get_by_label("First name").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#error-summary")).to_have_count(1)
    switch_to(page, "Français")
    assert page.get_by_role("heading", level=1).inner_text() == "Modifier mes informations"
    assert page.get_by_label("Fonction").input_value() == "Deputy mayor for cooperation"
    assert page.get_by_label("Prénom").input_value() == ""


def test_a_switch_with_nothing_typed_is_a_plain_link(browser_page, live_server, demo):
    page = browser_page
    page.goto(private_url(live_server, confirmed(demo), "en", "details/"))
    switch_to(page, "Français")
    assert page.get_by_role("heading", level=1).inner_text() == "Modifier mes informations"
    assert carried_left_behind(page) is None


def test_a_link_that_would_drop_a_typed_mailing_asks_first(browser_page, live_server, demo):
    page = browser_page
    log_in(page, live_server, f"/en/organiser/{demo.number}/mailings/new/")
    page.goto(f"{live_server.url}/en/organiser/{demo.number}/mailings/new/")
    page.get_by_label("Subject (French)").fill("Rappel : vos badges")
    asked = []

    def answer(dialog, accept):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.get_by_role("link", name="see the list").click()
    assert asked == ["What you typed on this page is not saved. Leave the page anyway?"]
    assert page.get_by_role("heading", level=1).inner_text() == "E-mail this list"
    assert page.get_by_label("Subject (French)").input_value() == "Rappel : vos badges"

    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.get_by_role("link", name="see the list").click()
    page.wait_for_url("**/registrations/**")
    assert len(asked) == 2


def test_back_without_saving_leaves_without_asking(browser_page, live_server, demo):
    page = browser_page
    page.on("dialog", lambda dialog: pytest.fail(f"asked: {dialog.message}"))
    page.goto(private_url(live_server, confirmed(demo), "en", "details/"))
    page.get_by_label("Job title").fill("Something else")
    page.get_by_role("link", name="Back without saving").click()
    assert page.get_by_role("heading", level=1).inner_text() == "My registration"


def test_the_registration_form_asks_before_a_menu_link_drops_it(browser_page, live_server, demo):
    page = browser_page
    page.goto(live_server.url + "/fr/register/")
    page.get_by_label("Prénom").first.fill("小明")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator(".main-nav").get_by_role("link", name="Programme").click()
    assert page.get_by_label("Prénom").first.input_value() == "小明"
    # and its language switch, buttons that send the form, keeps it without asking
    page.locator(".language-switch").get_by_role("button", name="English").click()
    assert page.get_by_label("First name").first.input_value() == "小明"
