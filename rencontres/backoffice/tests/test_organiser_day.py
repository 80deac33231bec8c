"""An organiser's day in the back-office, clicked through in Chromium after the registrations
closed: log in with an authenticator app's code, find someone from the header's search, open
their page and change their sessions, add someone who phoned, give a place from a session's
waiting list, replace a delegation member who cannot come, send again an e-mail that failed.
Each page passes axe-core at 1280 and 360 px; each step's effect is read in the database once
the page that follows it is there."""

import datetime
import re

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from rencontres.editions.tests.test_browser import check
from rencontres.mail.models import OutgoingEmail
from rencontres.registration import services
from rencontres.registration.models import Registration, SessionChoice
from rencontres.registration.tests.factories import (
    category,
    details,
    open_edition,
    organisation,
    registered,
    workshop,
)

from .factories import member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Choice = SessionChoice.Status


def eventually(condition, timeout=10):
    """Wait for `condition()` (a read of the database) to hold: the page told us it is done,
    and the row written before its answer is read here through another connection."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{condition.__doc__ or condition} never held")
        time.sleep(0.1)


@pytest.fixture
def the_week_before(settings):
    """The edition a week before it opens, registrations closed: a full water workshop (Ana
    holds its place, Chloé then David wait), a roomy one, Awa Ndiaye of Thiès, Li Wei whose
    link went to a misspelt address (corrected since), and Claire, an organiser with an
    authenticator app."""
    settings.TWO_FACTOR_REQUIRED = True
    edition = open_edition()
    water = workshop(edition, capacity=1, hour=11, title_en="Water workshop")
    roomy = workshop(edition, capacity=30, hour=16, title_en="Roomy workshop")
    people = {
        "ana": registered(edition, first_name="Ana", last_name="Holder", sessions=[water]),
        "chloe": registered(edition, first_name="Chloé", last_name="First", sessions=[water]),
        "david": registered(edition, first_name="David", last_name="Second", sessions=[water]),
        "awa": registered(
            edition,
            first_name="Awa",
            last_name="Ndiaye",
            sessions=[water],
            organisation=organisation("Ville de Thiès", "SN", "foreign_authority"),
        ),
        "li": registered(edition, first_name="Li", last_name="Wei", email="li.wei@example.cn"),
    }
    # The delegation of Dakar: its head and Fatou Sall, both confirmed, Fatou in the roomy
    # workshop; she will not come.
    head, _ = services.submit(
        edition,
        details(
            edition,
            first_name="Moussa",
            last_name="Diop",
            email="moussa.diop@example.sn",
            organisation=organisation("Ville de Dakar", "SN", "foreign_authority"),
        ),
        members=[{"first_name": "Fatou", "last_name": "Sall", "email": "fatou.sall@example.sn",
                  "job_title": "Adviser", "category": category(edition), "language": "fr"}],
    )  # fmt: skip
    services.confirm_address(head)
    people["fatou"] = services.confirm_address(head.delegation.members.get(last_name="Sall"))
    services.change_sessions(people["fatou"], [roomy])
    link = OutgoingEmail.objects.filter(registration=people["li"]).latest("pk")
    OutgoingEmail.objects.filter(pk=link.pk).update(
        recipient="li.wie@example.cn", status=OutgoingEmail.Status.FAILED, attempts=12,
        last_error="550 5.1.1 <li.wie@example.cn>: user unknown",
    )  # fmt: skip
    edition.registration_closes_at = timezone.now() - datetime.timedelta(days=1)
    edition.save()
    claire = member(edition, "organiser", username="claire")
    claire.first_name, claire.last_name = "Claire", "Moreau"
    claire.set_password("a-long-password")
    claire.save()
    device = TOTPDevice.objects.create(user=claire, name="phone", confirmed=True)
    return edition, water, roomy, people, device, link


def current_code(device):
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def test_an_organisers_day(browser_page, live_server, the_week_before):
    edition, water, roomy, people, device, failed_link = the_week_before
    page = browser_page
    base = f"{live_server.url}/en/organiser/{edition.number}/"

    # Log in: the password and the authenticator app's current code.
    page.goto(base)
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to the back-office")
    check(page)
    page.get_by_label("Username").fill("claire")
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_label("Code from your authenticator app").fill(current_code(device))
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overview")
    expect(page.locator("header.shell-header")).to_contain_text("Claire Moreau")
    check(page)

    # Awa phones: found by her organisation from the header's search, on any page.
    page.get_by_role("searchbox", name="Search the registrations").fill("Thiès")
    page.keyboard.press("Enter")
    results = page.get_by_role("table", name="Registrations")
    expect(results.locator("tbody tr")).to_have_count(1)
    check(page)
    results.get_by_role("link", name="Ndiaye Awa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Awa Ndiaye")
    expect(page.locator("#sessions-title + ul")).to_contain_text("On the waiting list, position 3")
    check(page)

    # She would rather go to the roomy workshop than wait for the water one: after the
    # deadline, which holds for her own page, not for the team's.
    page.get_by_role("link", name="Change the sessions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the sessions")
    check(page)
    page.get_by_role("checkbox", name=re.compile("Water workshop")).uncheck()
    page.get_by_role("checkbox", name=re.compile("Roomy workshop")).check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("The sessions are saved.")
    sessions = page.locator("#sessions-title + ul")
    expect(sessions).to_contain_text("Roomy workshop")
    expect(sessions).not_to_contain_text("Water workshop")
    check(page)
    awa = people["awa"]
    assert dict(awa.choices.values_list("session", "status")) == {roomy.pk: Choice.CONFIRMED}
    changed = OutgoingEmail.objects.get(registration=awa, template="registration_changed")
    assert "Roomy workshop" in changed.body_text
    assert awa.events.filter(action="sessions_changed", actor__username="claire").exists()

    # Someone phones to register: added by hand, e-mailed their confirmation and link.
    page.get_by_role("navigation", name="Back-office").get_by_role(
        "link", name="Registrations"
    ).click()
    page.get_by_role("link", name="Add a registration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a registration")
    check(page)
    page.get_by_label("First name").fill("Olena")
    page.get_by_label("Last name").fill("Kovalenko")
    page.get_by_label("E-mail", exact=True).fill("olena.kovalenko@example.ua")
    page.get_by_label("Job title").fill("Deputy mayor")
    page.get_by_label("Category").select_option(label="Elected official")
    page.get_by_label("English").check()
    page.get_by_label("Organisation", exact=True).fill("Lviv City Council")
    page.get_by_label("Kind of organisation").select_option(value="foreign_authority")
    page.get_by_label("Country of the organisation").select_option(value="UA")
    page.get_by_role("button", name="Save the registration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Olena Kovalenko")
    expect(page.locator(".messages")).to_contain_text("The registration is saved: Confirmed.")
    check(page)
    olena = Registration.objects.get(edition=edition, email="olena.kovalenko@example.ua")
    assert olena.status == Registration.Status.CONFIRMED
    assert olena.events.filter(action="added_by_organiser", actor__username="claire").exists()
    assert list(olena.emails.values_list("template", flat=True)) == ["registration_confirmed"]

    # The water workshop: David, second on its waiting list, gets a place out of turn,
    # beyond the capacity once Claire says she means it.
    page.get_by_role("link", name="Sessions", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sessions with limited places")
    check(page)
    page.get_by_role("link", name="Water workshop").click()
    waiting = page.locator("section[aria-labelledby=waiting-title] tbody tr")
    expect(waiting).to_have_count(2)
    expect(waiting.nth(0)).to_contain_text("First Chloé")
    check(page)
    page.get_by_role("button", name="Give a place – David Second").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The session is full")
    check(page)
    page.get_by_role("button", name="Give a place beyond the capacity").click()
    expect(page.locator(".messages")).to_contain_text(
        "David Second has a place in this session and is told by e-mail."
    )
    holders = page.locator("section[aria-labelledby=holders-title]")
    expect(holders).to_contain_text("Second David")
    expect(waiting).to_have_count(1)
    check(page)
    states = dict(water.choices.values_list("registration", "status"))
    assert states == {
        people["ana"].pk: Choice.CONFIRMED,
        people["david"].pk: Choice.CONFIRMED,
        people["chloe"].pk: Choice.WAITLISTED,
    }
    assert (
        OutgoingEmail.objects.filter(
            registration=people["david"], template="session_promoted"
        ).count()
        == 1
    )

    # Dakar's delegation writes that Fatou Sall cannot come: Aminata Ba takes her place and
    # her session, and is asked to confirm her own address.
    page.get_by_role("searchbox", name="Search the registrations").fill("Sall")
    page.keyboard.press("Enter")
    page.get_by_role("table", name="Registrations").get_by_role("link", name="Sall Fatou").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fatou Sall")
    page.get_by_role("link", name="Replace with someone else").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Someone else instead of Fatou Sall")
    check(page)
    page.get_by_role("button", name="Give them the place").click()  # nothing typed yet
    expect(page.get_by_role("heading", level=1)).to_have_text("Someone else instead of Fatou Sall")
    expect(page.locator("#field-first_name .errorlist")).to_be_visible()
    check(page)
    page.get_by_label("First name").fill("Aminata")
    page.get_by_label("Last name").fill("Ba")
    page.get_by_label("E-mail", exact=True).fill("aminata.ba@example.sn")
    page.get_by_label("Job title").fill("Head of cooperation")
    page.get_by_label("French").check()
    page.get_by_role("button", name="Give them the place").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aminata Ba")
    expect(page.locator(".messages")).to_contain_text("Aminata Ba takes the place of Fatou Sall.")
    expect(page.locator("#sessions-title + ul")).to_contain_text("Roomy workshop")
    check(page)
    fatou = Registration.objects.get(pk=people["fatou"].pk)
    aminata = Registration.objects.get(edition=edition, email="aminata.ba@example.sn")
    assert fatou.status == Registration.Status.CANCELLED and aminata.replaces == fatou
    assert aminata.delegation_id == fatou.delegation_id and aminata.place_held_until
    assert dict(aminata.choices.values_list("session", "status")) == {roomy.pk: Choice.CONFIRMED}
    assert aminata.emails.filter(template="member_confirm_address").exists()

    # Li Wei's link went to a misspelt address, corrected since: sent again, to the right one.
    page.get_by_role("searchbox", name="Search the registrations").fill("wei")
    page.keyboard.press("Enter")
    page.get_by_role("table", name="Registrations").get_by_role("link", name="Wei Li").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Li Wei")
    emails = page.get_by_role("table", name="E-mails")
    expect(emails).to_contain_text("user unknown")
    check(page)
    emails.get_by_role("button", name=re.compile("^Send again")).click()
    expect(page.locator(".messages")).to_contain_text("The e-mail will be sent again in a moment.")
    expect(emails).not_to_contain_text("user unknown")
    check(page)

    def sent_to_the_corrected_address():
        failed_link.refresh_from_db()
        return failed_link.status == OutgoingEmail.Status.SENT

    eventually(sent_to_the_corrected_address)
    assert failed_link.recipient == "li.wei@example.cn"
    assert services.private_link(people["li"]) in failed_link.body_text
