"""A person and a head of delegation register in Chromium, confirm from the outbox, change a
session and cancel; axe-core checks every page of the way."""

import pathlib
import re

import pytest
from playwright.sync_api import expect

from rencontres.editions.demo import load_demo
from rencontres.editions.tests.test_browser import assert_fits, check
from rencontres.mail.models import OutgoingEmail
from rencontres.registration.models import Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server, settings):
    settings.REGISTRATION_MIN_SECONDS = 0
    settings.SITE_URL = live_server.url
    edition, _ = load_demo()
    return edition


def confirmation_link(email, template="confirm_address"):
    body = OutgoingEmail.objects.filter(recipient=email, template=template).last()
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
    page.get_by_role("button", name="Register", exact=True).click()
    summary = page.get_by_role("alert")
    assert "Please correct what is marked below" in summary.inner_text()
    assert page.get_by_label("First name").first.input_value() == "Olena"
    check(page)

    page.get_by_label("E-mail").first.fill("olena@example.ua")
    page.get_by_label("Workshop 6").check()
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Register", exact=True).click()
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


def fill_member(page, number, first_name, last_name, email):
    member = page.get_by_role("group", name=f"Member {number}", exact=True)
    member.get_by_label("First name").fill(first_name)
    member.get_by_label("Last name").fill(last_name)
    member.get_by_label("E-mail").fill(email)
    member.get_by_label("Job title").fill("Adviser")
    member.get_by_label("Category").select_option(label="Foreign authority")
    member.get_by_label("English").check()


def test_a_head_of_delegation_registers_members_who_confirm_themselves(
    browser_page, live_server, demo
):
    page = browser_page
    page.goto(live_server.url + "/en/register/")
    fill_person(page, "head@example.ua")
    # The other form opens with what was typed.
    page.get_by_role("button", name="Registering several people? Register a delegation").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Register a delegation"
    assert page.get_by_label("E-mail").first.input_value() == "head@example.ua"
    assert not page.locator(".field--error").count()
    check(page)
    fill_member(page, 1, "Ivan", "Petrenko", "ivan@example.ua")
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Register the delegation").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your inbox"

    page.goto(confirmation_link("head@example.ua"))
    page.get_by_role("button", name="Confirm and complete my registration").click()
    assert "Confirmed" in page.locator(".status-badge").inner_text()
    assert "Ivan Petrenko Awaiting their own confirmation" in page.locator(
        ".delegation-members").inner_text()  # fmt: skip
    ivan = Registration.objects.get(email="ivan@example.ua")
    assert ivan.status == "awaiting_confirmation" and ivan.place_held_until is not None

    page.goto(confirmation_link("ivan@example.ua", "member_confirm_address"))
    assert "registered you as a member of their delegation" in page.locator("main").inner_text()
    check(page)
    page.get_by_role("button", name="Confirm and complete my registration").click()
    assert "Confirmed" in page.locator(".status-badge").inner_text()
    assert OutgoingEmail.objects.filter(recipient="ivan@example.ua",
                                        template="registration_confirmed").exists()  # fmt: skip


def test_adding_members_keeps_everything_typed(browser_page, live_server, demo):
    page = browser_page
    page.goto(live_server.url + "/en/register/delegation/")
    fill_person(page, "head@example.ma", first_name="فاطمة", last_name="الزهراء")
    page.get_by_label("Workshop 2").check()
    page.get_by_label("Access needs").fill("Step-free access")
    fill_member(page, 1, "محمد", "بنعلي", "mohamed@example.ma")
    fill_member(page, 2, "伟", "张", "wei@example.cn")
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Add a member").click()
    page.get_by_role("button", name="Add a member").click()
    # Added here, without sending the form: the page was not reloaded, the new row has focus.
    assert page.evaluate("window.notReloaded") is True
    assert page.get_by_role("group", name="Member 5", exact=True).count() == 1
    focused = page.evaluate("document.activeElement.id")
    assert focused == "id_members-4-first_name"
    assert page.get_by_label("First name").first.input_value() == "فاطمة"
    assert page.get_by_role("group", name="Member 2", exact=True).get_by_label(
        "E-mail").input_value() == "wei@example.cn"  # fmt: skip
    assert page.get_by_label("Workshop 2").is_checked()
    assert page.get_by_label("Access needs").input_value() == "Step-free access"
    check(page)
    fill_member(page, 4, "Amina", "Tazi", "amina@example.ma")
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Register the delegation").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your inbox"
    names = set(Registration.objects.values_list("first_name", "last_name"))
    assert names == {("فاطمة", "الزهراء"), ("محمد", "بنعلي"), ("伟", "张"), ("Amina", "Tazi")}
    for person in Registration.objects.all():
        assert person.choices.get().session.title_en.startswith("Workshop 2")


def test_adding_members_without_scripts_sends_the_form_back_with_everything(
    chromium, live_server, demo
):
    context = chromium.new_context(java_script_enabled=False, locale="fr-FR",
                                   viewport={"width": 360, "height": 800})  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(live_server.url + "/en/register/delegation/")
        fill_person(page, "head@example.cn", first_name="小明", last_name="王")
        page.get_by_label("Workshop 5").check()
        fill_member(page, 1, "伟", "张", "wei@example.cn")
        fill_member(page, 2, "Li", "Na", "")  # not finished: no message for it yet
        page.get_by_role("button", name="Add a member").click()
        expect(page.get_by_role("group", name="Member 6", exact=True)).to_have_count(1)
        assert page.url.endswith("#member-4")  # the first new row, scrolled to
        assert page.get_by_label("First name").first.input_value() == "小明"
        assert page.get_by_role("group", name="Member 2", exact=True).get_by_label(
            "First name").input_value() == "Li"  # fmt: skip
        assert page.get_by_label("Workshop 5").is_checked()
        assert not page.locator(".field--error").count()
        page.get_by_role("group", name="Member 2", exact=True).get_by_label("E-mail").fill(
            "li.na@example.cn")  # fmt: skip
        page.get_by_label("I have read the privacy notice").check()
        page.get_by_role("button", name="Register the delegation").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Check your inbox"
        assert Registration.objects.count() == 3
    finally:
        context.close()


def test_sessions_are_chosen_by_slot_on_a_phone(browser_page, live_server, demo):
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(live_server.url + "/en/register/")
    fill_person(page, "olena@example.ua")
    slot = page.get_by_role("group", name="16:00–17:30 · one session at most")
    slot.get_by_label("Workshop 1").check()
    slot.get_by_label("Workshop 3").check()  # one per slot: the first is let go
    assert not slot.get_by_label("Workshop 1").is_checked()
    assert not slot.get_by_label("None of these").is_checked()
    assert_fits(page)
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Register", exact=True).click()
    page.goto(confirmation_link("olena@example.ua"))
    page.get_by_role("button", name="Confirm and complete my registration").click()
    assert "Workshop 3" in page.locator(".choices").inner_text()

    page.get_by_role("link", name="Change my sessions").click()
    slot = page.get_by_role("group", name="16:00–17:30 · one session at most")
    assert slot.get_by_label("Workshop 3").is_checked()
    slot.get_by_label("None of these").check()
    page.get_by_role("group", name="09:00–10:30 · one session at most").get_by_label(
        "Workshop 5").check()  # fmt: skip
    assert_fits(page)
    check(page)
    page.get_by_role("button", name="Save my sessions").click()
    assert "Your sessions are saved." in page.get_by_role("status").inner_text()
    choices = page.locator(".choices").inner_text()
    assert "Workshop 5" in choices and "Workshop 3" not in choices


def test_switching_language_keeps_what_was_typed(browser_page, live_server, demo):
    page = browser_page
    page.goto(live_server.url + "/fr/register/")
    page.get_by_label("Prénom").first.fill("小明")
    page.get_by_label("Atelier 2").check()
    page.locator(".language-switch").get_by_role("button", name="English").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Register"
    assert page.get_by_label("First name").first.input_value() == "小明"
    assert page.get_by_label("Workshop 2").is_checked()
    assert not page.locator(".field--error").count()
    check(page)
    # Enter in a field still sends the form (here, incomplete: its messages), not a language.
    page.get_by_label("First name").first.press("Enter")
    assert "Please correct what is marked below" in page.locator(".error-summary").inner_text()
    assert page.get_by_label("First name").first.input_value() == "小明"


def test_enter_in_a_member_field_sends_the_delegation_form(browser_page, live_server, demo):
    page = browser_page
    page.goto(live_server.url + "/en/register/delegation/")
    fill_person(page, "head@example.ua")
    fill_member(page, 1, "Ivan", "Petrenko", "ivan@example.ua")
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("group", name="Member 1", exact=True).get_by_label("E-mail").press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "Check your inbox"


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


def test_a_participant_from_abroad_gets_a_letter_the_consulate_checks(
    browser_page, live_server, settings
):
    """From the private page: the letter's form (a mistake first, told next to its field,
    nothing typed lost), the PDF in French, its QR code read from the printed page, and the
    page it opens, which says the letter is genuine."""
    from tests.documents import page_images, qr_codes

    from .factories import open_edition, organisation, registered

    settings.SITE_URL = live_server.url
    edition = open_edition()
    rabat = organisation("بلدية الرباط", "MA", "foreign_authority")
    person = registered(
        edition, first_name="سلمى", last_name="عبد السلام", language="fr", organisation=rabat
    )
    page = browser_page
    page.goto(f"{live_server.url}/en/r/{person.public_id}/{person.secret}/")
    page.get_by_role("link", name="Get my invitation letter").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Invitation letter for a visa"
    page.get_by_label("Name as written in your passport").fill("ABDESSALAM Salma")
    page.get_by_label("Passport number").fill("XK 77")
    page.get_by_label("Nationality").select_option("MA")
    page.get_by_label("Date of birth").fill("1984-03-09")
    page.get_by_role("radio", name="French").check()
    page.get_by_role("button", name="Download my invitation letter (PDF)").click()
    assert "5 to 20 letters and digits" in page.locator("#id_passport_number_error").inner_text()
    assert page.get_by_label("Name as written in your passport").input_value() == (
        "ABDESSALAM Salma"
    )
    assert page.get_by_label("Date of birth").input_value() == "1984-03-09"
    check(page)
    page.get_by_label("Passport number").fill("XK7736021")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my invitation letter (PDF)").click()
    assert download.value.suggested_filename == f"invitation-{edition.number}-fr.pdf"
    content = pathlib.Path(download.value.path()).read_bytes()
    (url,) = qr_codes(page_images(content)[0])
    assert url.startswith(f"{live_server.url}/fr/letters/")
    page.goto(url)
    assert "Cette lettre est authentique." in page.locator(".notice").inner_text()
    assert "ABDESSALAM Salma" in page.locator("dl").inner_text()
    check(page)
    page.goto(url[:-3] + ("A" if url[-3] != "A" else "B") + url[-2:])
    assert "Cette référence n'est pas l'une des nôtres." in page.locator(".notice").inner_text()
    check(page)


def test_a_head_adds_and_replaces_members_on_a_phone_in_french_and_english(
    browser_page, live_server, settings
):
    """The head's private page on a 360 px phone: a member added (in French), another who
    cannot come replaced by someone else (in English, with a double click that makes one
    person), who confirms their own address and takes the place and its session."""
    from rencontres.registration import services

    from .factories import delegation, open_edition, workshop

    settings.SITE_URL = live_server.url
    edition = open_edition()
    water = workshop(edition, capacity=2, title_en="Water workshop", title_fr="Atelier eau")
    head = delegation(edition, members=1, sessions=[water])
    Registration.objects.filter(pk=head.pk).update(first_name="Awa", last_name="Ndiaye")
    head = services.confirm_address(Registration.objects.get(pk=head.pk))
    member = head.delegation.members.exclude(pk=head.pk).get()
    Registration.objects.filter(pk=member.pk).update(first_name="Moussa", last_name="Sarr")
    services.confirm_address(Registration.objects.get(pk=member.pk))
    page = browser_page
    phone = {"width": 360, "height": 800}

    page.set_viewport_size(phone)
    page.goto(f"{live_server.url}/fr/r/{head.public_id}/{head.secret}/")
    members = page.locator(".delegation-members")
    assert "Moussa Sarr Confirmé" in members.inner_text()
    check(page)
    page.set_viewport_size(phone)
    page.get_by_role("link", name="Ajouter un membre").click()
    page.get_by_role("heading", level=1, name="Ajouter un membre").wait_for()
    check(page)
    page.set_viewport_size(phone)
    page.get_by_label("Prénom").fill("Fatou")
    page.get_by_label("Nom", exact=True).fill("Diop")
    page.get_by_label("E-mail").fill("fatou@example.sn")
    page.get_by_label("Fonction").fill("Conseillère")
    page.get_by_label("Catégorie").select_option(label="Élu·e")
    page.get_by_role("radio", name="Français").check()
    page.get_by_role("button", name="Ajouter ce membre").click()
    expect(page.get_by_role("status")).to_contain_text("Fatou Diop va recevoir un e-mail")
    assert "Fatou Diop En attente de sa propre confirmation" in members.inner_text()
    assert_fits(page)
    check(page)

    page.goto(f"{live_server.url}/en/r/{head.public_id}/{head.secret}/")
    page.set_viewport_size(phone)
    members.get_by_role("link", name="Moussa Sarr").click()
    page.get_by_role("heading", level=1, name="Moussa Sarr").wait_for()
    assert "Water workshop" in page.locator(".choices").inner_text()
    check(page)
    page.set_viewport_size(phone)
    page.get_by_role("link", name="Replace with someone else").click()
    page.get_by_role("heading", level=1, name="Someone else instead of Moussa Sarr").wait_for()
    check(page)
    page.set_viewport_size(phone)
    page.get_by_label("First name").fill("Aminata")
    page.get_by_label("Last name").fill("Fall")
    page.get_by_label("E-mail").fill("aminata@example.sn")
    page.get_by_label("Job title").fill("Adviser")
    page.get_by_role("radio", name="English").check()
    page.get_by_role("button", name="Give them the place").dblclick()
    expect(page.get_by_role("status").first).to_contain_text(
        "Aminata Fall takes the place of Moussa Sarr."
    )
    text = members.inner_text()
    assert "Aminata Fall Awaiting their own confirmation" in text
    assert "Moussa Sarr Replaced by someone else" in text
    assert_fits(page)
    check(page)
    assert Registration.objects.filter(email="aminata@example.sn").count() == 1

    # The new person confirms their own address and has the place and its session.
    page.goto(confirmation_link("aminata@example.sn", "member_confirm_address"))
    page.get_by_role("button", name="Confirm and complete my registration").click()
    expect(page.locator(".status-badge")).to_contain_text("Confirmed")
    assert "Water workshop" in page.locator(".choices").inner_text()
    assert "Confirmed" in page.locator(".choices").inner_text()


def test_a_past_participant_comes_back_with_their_profile(browser_page, live_server, settings):
    """Invited because she asked last year: her form is filled in (not her needs), she brings
    her networking profile over and registers; the shots go to SCREENSHOTS if set."""
    import datetime
    import os

    from rencontres.editions.tests.factories import paris
    from rencontres.networking.models import Profile, Theme
    from rencontres.networking.services.profiles import save_profile
    from rencontres.registration.models import Invitation
    from rencontres.registration.services import invite_returning_participants

    from .factories import open_edition, organisation, registered

    settings.REGISTRATION_MIN_SECONDS = 0
    settings.SITE_URL = live_server.url
    edition, _created = load_demo()
    past = open_edition(number=3)
    ana = registered(
        past, email="wang.fang@example.cn", first_name="芳", last_name="王", language="en",
        job_title="国际合作处处长", organisation=organisation("成都市人民政府", "CN",
                                                               "foreign_authority"),
        diet="other", diet_details="Végétarien strict Zyx", next_editions_opt_in=True,
    )  # fmt: skip
    themes = list(Theme.objects.all()[:2])
    save_profile(ana, {"about": "我们希望与法国城市在水资源管理方面合作。", "themes": themes,
                       "languages": ["zh", "en"]})  # fmt: skip
    past.starts_on, past.ends_on = datetime.date(2024, 11, 6), datetime.date(2024, 11, 7)
    past.registration_opens_at, past.registration_closes_at = paris(2024, 5, 1), paris(2024, 10, 1)
    past.save()
    invite_returning_participants(edition)
    invitation = Invitation.objects.get(edition=edition, returning=True)
    shots = os.environ.get("SCREENSHOTS")
    page = browser_page
    for language in ("fr", "en"):
        page.goto(f"{live_server.url}/{language}/invitation/{invitation.public_id}/"
                  f"{invitation.secret}/")  # fmt: skip
        if shots:
            for width in (360, 1280):
                page.set_viewport_size({"width": width, "height": 900})
                page.screenshot(path=f"{shots}/returning-{language}-{width}.png", full_page=True)
        check(page)
    assert page.get_by_label("First name").first.input_value() == "芳"
    assert page.get_by_label("Job title").first.input_value() == "国际合作处处长"
    assert "Zyx" not in page.content()
    page.get_by_label("Bring my networking profile of the").check()
    page.get_by_label("Category").first.select_option(index=1)
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    new = Registration.objects.get(edition=edition, email="wang.fang@example.cn")
    assert Profile.objects.get(registration=new).about.startswith("我们希望")
    if shots:
        page.screenshot(path=f"{shots}/returning-after.png", full_page=True)
    check(page)
