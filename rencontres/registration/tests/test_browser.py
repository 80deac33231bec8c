"""A person and a head of delegation register in Chromium, confirm from the outbox, change a
session and cancel; axe-core checks every page of the way."""

import re

import pytest

from rencontres.editions.demo import load_demo
from rencontres.editions.tests.test_browser import check
from rencontres.mail.models import OutgoingEmail
from rencontres.registration.models import Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server, settings):
    settings.REGISTRATION_MIN_SECONDS = 0
    settings.SITE_URL = live_server.url
    edition, _ = load_demo()
    return edition


def confirmation_link(email):
    body = OutgoingEmail.objects.filter(recipient=email, template="confirm_address").last()
    return re.search(r"(http://\S+/register/confirm/\S+/)", body.body_text)[1]


def fill_person(page, email, first_name="Olena", last_name="Kovalenko"):
    page.get_by_label("First name").first.fill(first_name)
    page.get_by_label("Last name").first.fill(last_name)
    page.get_by_label("E-mail").first.fill(email)
    page.get_by_label("Phone").fill("+380 44 123 4567")
    page.get_by_label("Job title").first.fill("Mayor")
    page.get_by_label("Category").first.select_option(label="Foreign authority")
    page.get_by_role("group", name="Preferred language for e-mails").first.get_by_label(
        "English").check()  # fmt: skip
    page.get_by_label("Organisation", exact=True).fill("Ville de Bila Tserkva")
    page.get_by_label("Kind of organisation").select_option("foreign_authority")
    page.get_by_label("Country of the organisation").select_option("UA")


def test_a_person_registers_confirms_changes_a_session_and_cancels(browser_page, live_server,
                                                                    demo):  # fmt: skip
    page = browser_page
    page.goto(live_server.url + "/en/")
    page.locator(".hero").get_by_role("link", name="Register").click()
    check(page)

    # A first try with a mistake: the message sits next to the field, the rest is kept.
    fill_person(page, "olena@example.ua")
    page.get_by_label("E-mail").first.fill("olena-at-example.ua")
    page.get_by_role("button", name="Register").click()
    summary = page.get_by_role("alert")
    assert "Please correct what is marked below" in summary.inner_text()
    assert page.get_by_label("First name").first.input_value() == "Olena"
    check(page)

    page.get_by_label("E-mail").first.fill("olena@example.ua")
    page.get_by_label("Workshop 6").check()
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Register").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your inbox"
    check(page)

    page.goto(confirmation_link("olena@example.ua"))
    check(page)
    page.get_by_role("button", name="Confirm and complete my registration").click()
    assert page.get_by_role("heading", level=1).inner_text() == "My registration"
    assert "Confirmed" in page.locator(".status-badge").inner_text()
    assert "Workshop 6" in page.locator(".choices").inner_text()
    check(page)

    page.get_by_role("link", name="Change my sessions").click()
    check(page)
    page.get_by_label("Workshop 5").check()  # in the same slot: Workshop 6 is let go
    page.get_by_role("button", name="Save my sessions").click()
    assert "Your sessions are saved." in page.get_by_role("status").inner_text()
    assert "Workshop 5" in page.locator(".choices").inner_text()
    assert "Workshop 6" not in page.locator(".choices").inner_text()

    page.get_by_role("link", name="Change my details").click()
    check(page)
    page.get_by_role("link", name="Back without saving").click()

    page.get_by_role("link", name="Cancel my registration").click()
    check(page)
    page.get_by_role("button", name="Yes, cancel my registration").click()
    assert "Cancelled" in page.locator(".status-badge").inner_text()
    check(page)
    assert Registration.objects.get().status == Registration.Status.CANCELLED


def test_a_head_of_delegation_registers_members(browser_page, live_server, demo):
    page = browser_page
    page.goto(live_server.url + "/en/register/")
    page.get_by_role("link", name="Registering several people? Register a delegation").click()
    check(page)
    fill_person(page, "head@example.ua")
    member = page.get_by_role("group", name="Member 1")
    member.get_by_label("First name").fill("Ivan")
    member.get_by_label("Last name").fill("Petrenko")
    member.get_by_label("E-mail").fill("ivan@example.ua")
    member.get_by_label("Job title").fill("Adviser")
    member.get_by_label("Category").select_option(label="Foreign authority")
    member.get_by_label("English").check()
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Register the delegation").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your inbox"

    page.goto(confirmation_link("head@example.ua"))
    page.get_by_role("button", name="Confirm and complete my registration").click()
    assert "Ivan Petrenko" in page.get_by_role("heading", name="Members of your delegation")\
        .locator("xpath=following-sibling::ul[1]").inner_text()  # fmt: skip
    assert set(Registration.objects.values_list("status", flat=True)) == {"confirmed"}
    assert OutgoingEmail.objects.filter(recipient="ivan@example.ua",
                                        template="registration_confirmed").exists()  # fmt: skip


def test_the_lost_link_page_is_accessible(browser_page, live_server, demo):
    browser_page.goto(live_server.url + "/fr/register/link/")
    check(browser_page)
    browser_page.get_by_label("L'adresse e-mail utilisée pour votre inscription").fill(
        "x@example.org"
    )
    browser_page.get_by_role("button", name="M'envoyer le lien").click()
    assert "Consultez votre messagerie" in browser_page.get_by_role("heading", level=1).inner_text()
    check(browser_page)


def test_an_invited_person_declines_from_the_prefilled_form(browser_page, live_server):
    from rencontres.registration.models import Invitation

    edition, _created = load_demo()
    invitation = Invitation.objects.create(
        edition=edition, email="ana@example.pt", first_name="Ana", last_name="Silva",
        country="PT", organisation_name="Porto", language="en",
    )  # fmt: skip
    page = browser_page
    page.goto(f"{live_server.url}/en/invitation/{invitation.public_id}/{invitation.secret}/")
    assert page.get_by_label("E-mail", exact=True).input_value() == "ana@example.pt"
    assert page.get_by_label("Country of the organisation").input_value() == "PT"
    check(page)
    page.get_by_role("button", name="I cannot come").click()
    assert "cannot come" in page.locator("main").inner_text()
    invitation.refresh_from_db()
    assert invitation.declined_at is not None
    check(page)
