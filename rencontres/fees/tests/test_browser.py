"""The price in Chromium: on a 360 px phone, in French and in English, the registration form
shows the price that applies as the person chooses their category, types their organisation
and ticks the partners' dinner, written the way each language writes money; the "sent" page
repeats it; the organisers' fee pages and a registration's page with what it owes pass axe in
both languages."""

import pytest
from playwright.sync_api import expect

from rencontres.editions.demo import load_demo
from rencontres.editions.tests.test_browser import check, log_in
from rencontres.fees.demo import load_fees_demo
from rencontres.fees.models import Fee
from rencontres.registration.models import Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server, settings):
    settings.REGISTRATION_MIN_SECONDS = 0
    settings.SITE_URL = live_server.url
    edition, _ = load_demo()
    load_fees_demo(edition)
    return edition


def field(page, name):
    return page.locator(f'#registration-form [name="{name}"]')


@pytest.mark.parametrize(
    "language, category, early, with_dinner, member",
    [
        ("fr", "Élu·e", "120,00\xa0€", "165,00\xa0€", "45,00\xa0€"),
        ("en", "Elected official", "€120.00", "€165.00", "€45.00"),
    ],
)
def test_the_form_shows_the_price_live_on_a_phone(
    browser_page, live_server, demo, language, category, early, with_dinner, member
):
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/{language}/register/")
    total = page.locator(".price [data-price-body]")
    expect(total).to_contain_text("Choisissez" if language == "fr" else "Choose your category")
    field(page, "category").first.select_option(label=category)
    field(page, "organisation_name").fill("Ville de Nantes")
    expect(page.locator(".price__total")).to_contain_text(early)
    dinner = page.locator('#registration-form [name="extras"]')
    dinner.check()
    expect(page.locator(".price__total")).to_contain_text(with_dinner)
    expect(page.locator(".price__lines")).to_contain_text(
        "Dîner des partenaires" if language == "fr" else "Partners' dinner"
    )
    field(page, "organisation_name").fill("Ville de Lyon")  # on the member list
    expect(page.locator(".price__total")).to_contain_text(member)
    check(page)


def test_the_sent_page_repeats_the_price_and_the_registration_books_the_dinner(
    browser_page, live_server, demo
):
    page = browser_page
    page.goto(f"{live_server.url}/en/register/")
    field(page, "first_name").fill("Olena")
    field(page, "last_name").fill("Kovalenko")
    field(page, "email").fill("olena@example.ua")
    field(page, "job_title").fill("Mayor")
    field(page, "category").first.select_option(label="Company")
    page.get_by_role("group", name="Preferred language for e-mails").first.get_by_label(
        "English").check()  # fmt: skip
    field(page, "organisation_name").fill("Kyiv Consulting")
    field(page, "organisation_kind").select_option("company")
    field(page, "organisation_country").select_option("UA")
    page.locator('#registration-form [name="extras"]').check()
    expect(page.locator(".price__total")).to_contain_text("€295.00")
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    expect(page.locator(".price__total")).to_contain_text("€295.00")
    check(page)
    person = Registration.objects.get(email="olena@example.ua")
    assert list(person.extra_bookings.values_list("extra__name_en", flat=True)) == [
        "Partners' dinner"
    ]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_organisers_fee_pages_pass_axe(browser_page, live_server, demo, language):
    from rencontres.registration import services
    from rencontres.registration.tests.factories import details

    page = browser_page
    person, _ = services.submit(demo, details(demo, category=demo.categories.get(code="elected")))
    person = services.confirm_address(person)
    number = demo.number
    log_in(page, live_server, f"/{language}/organiser/{number}/fees/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Tarifs" if language == "fr" else "Fees"
    )
    check(page)
    fee = Fee.objects.filter(category__edition=demo).first()
    for path in (f"fees/{fee.pk}/", "fees/new/", f"fees/extras/{demo.extras.first().pk}/",
                 "fees/members/", f"registrations/{person.pk}/",
                 f"registrations/{person.pk}/fees/"):  # fmt: skip
        page.goto(f"{live_server.url}/{language}/organiser/{number}/{path}")
        expect(page.locator("h1")).to_be_visible()
        check(page)
    # A mistake, said next to its field, passes axe too.
    page.goto(f"{live_server.url}/{language}/organiser/{number}/registrations/{person.pk}/")
    page.locator('input[name="kind"][value="discount"]').check()
    page.locator('input[name="reason"]').fill("Partner")
    page.locator('button[name="action"][value="grant"]').click()
    expect(page.locator("#field-amount .field__error, #field-amount .errorlist")).to_be_visible()
    check(page)
