"""An organiser filters the registrations in Chromium and exports the list; axe-core checks
the back-office pages at desktop and phone widths."""

import base64
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from rencontres.editions.tests.test_browser import assert_fits, check, log_in
from rencontres.models import AuditEntry
from rencontres.registration.tests.factories import open_edition, organisation, registered

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_organiser_filters_and_exports_the_registrations(browser_page, live_server):
    edition = open_edition()
    registered(
        edition,
        first_name="Awa",
        last_name="Ndiaye",
        organisation=organisation("Ville de Thiès", "SN", "foreign_authority"),
    )
    registered(edition, first_name="Claire", last_name="Martin")
    page = browser_page
    log_in(page, live_server, f"/en/organiser/{edition.number}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Overview"  # of the edition
    assert edition.title_en in page.locator("header.shell-header").inner_text()
    check(page)
    page.get_by_role("link", name="Registrations").click()
    # Only the countries of the registrations are offered, as boxes to tick.
    countries = page.get_by_role("group", name="Countries").get_by_role("checkbox")
    assert countries.evaluate_all("boxes => boxes.map(box => box.value)") == ["FR", "SN"]
    page.get_by_role("checkbox", name="Senegal").check()
    page.get_by_role("button", name="Filter").click()
    assert "1 registration" in page.locator(".result-count").inner_text()
    assert "Ndiaye" in page.locator("table").inner_text()
    check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Export this list (Excel)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["Ndiaye"]  # the filtered list, not everyone
    entry = AuditEntry.objects.get()
    assert entry.details["rows"] == 1 and entry.details["filters"]["country"] == ["SN"]
    page.get_by_role("link", name="Audit log").click()
    assert "Exported a list (Excel)" in page.locator("table").inner_text()
    check(page)


def test_the_overview_compares_this_edition_with_the_previous_ones(browser_page, live_server):
    from rencontres.backoffice.demo import load_history
    from rencontres.editions.demo import load_demo

    edition, _created = load_demo()
    load_history(edition)
    page = browser_page
    log_in(page, live_server, f"/en/organiser/{edition.number}/")
    chart = page.locator("svg.line-chart")
    assert chart.locator("polyline").count() == 3  # this edition and the two before
    legend = page.locator(".legend").inner_text()
    assert "14th" in legend and "13th" in legend
    table = page.locator("section[aria-labelledby=curve-heading] table").inner_text()
    assert "Days before the deadline" in table
    check(page)


# What each cell of a list's first row shows before its value (its ::before), with its column's
# header, its display and the size of its box to tick.
ROW_LABELS = """table => {
  const headers = [...table.querySelectorAll("thead th")].map(th => th.textContent.trim());
  const row = table.querySelector("tbody tr");
  return [...row.children].map((cell, index) => ({
    header: headers[index],
    label: getComputedStyle(cell, "::before").content,
    display: getComputedStyle(cell).display,
    box: cell.querySelector("input[type=checkbox]")?.getBoundingClientRect().width,
  }));
}"""


@pytest.mark.parametrize("language", ["en", "fr"])
def test_on_a_phone_the_registrations_list_shows_each_value_with_its_label(
    browser_page, live_server, language
):
    """At 360 px the column headers are out of sight: each value of a row comes after its
    column's label, drawn for the eye only (the table keeps its headers for screen readers);
    at desktop width the list is a plain table. The boxes to tick are 24 px at least."""
    edition = open_edition()
    registered(
        edition,
        first_name="Awa",
        last_name="Ndiaye",
        organisation=organisation("Ville de Thiès", "SN", "foreign_authority"),
    )
    page = browser_page
    log_in(page, live_server, f"/{language}/organiser/{edition.number}/registrations/")
    table = page.get_by_role("table", name="Registrations" if language == "en" else "Inscriptions")
    colon = ": " if language == "en" else "\xa0: "
    cells = table.evaluate(ROW_LABELS)
    assert [cell["display"] for cell in cells] == ["table-cell"] * 7
    assert all(cell["label"] == "none" for cell in cells)
    assert cells[0]["box"] >= 24
    page.set_viewport_size({"width": 360, "height": 800})
    cells = table.evaluate(ROW_LABELS)
    assert cells[0]["box"] >= 24 and cells[0]["label"] == "none"  # the box to tick
    assert cells[1]["label"] == "none"  # the name, first on the card
    for cell in cells[2:]:
        assert cell["label"] == f'"{cell["header"]}{colon}" / ""', cell
    assert page.locator("thead").bounding_box()["width"] <= 1  # visually hidden
    # Screen readers still meet a table, whose cells are named by their values only.
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    roles = [node.get("role", {}).get("value") for node in tree]
    assert roles.count("columnheader") == 7 and roles.count("rowheader") == 1
    names = [n.get("name", {}).get("value") for n in tree if n["role"]["value"] == "cell"]
    assert "Ville de Thiès (SN)" in names
    assert_fits(page)
    check(page)


def test_an_organiser_sets_up_two_factor_at_the_first_login(browser_page, live_server, settings):
    """The QR code on the page is what a phone scans: read from a screenshot of it, at phone
    and desktop widths, it gives the device's key, and a code computed from that key (as the
    authenticator app does) confirms the login."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.documents import qr_codes

    from .factories import member

    settings.TWO_FACTOR_REQUIRED = True
    edition = open_edition()
    user = member(edition, "organiser", username="claire")
    user.set_password("a-long-password")
    user.save()
    page = browser_page
    page.goto(f"{live_server.url}/en/organiser/{edition.number}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Log in to the back-office"
    check(page)
    page.get_by_label("Username").fill("claire")
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Two-factor authentication"
    check(page)
    device = TOTPDevice.objects.get(user=user)
    scanned = set()
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        scanned.update(qr_codes(page.locator(".qr").screenshot()))
    assert scanned == {device.config_url}
    query = parse_qs(urlsplit(scanned.pop()).query)
    key = base64.b32decode(query["secret"][0] + "=" * (-len(query["secret"][0]) % 8))
    page.get_by_label("Code from your authenticator app").fill(
        f"{totp(key, int(query.get('period', ['30'])[0]), 0, int(query['digits'][0])):06d}"
    )
    page.get_by_role("button", name="Confirm").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Overview"  # of the edition
    assert edition.title_en in page.locator("header.shell-header").inner_text()


def test_an_organiser_imports_an_invitation_list_after_correcting_it(
    browser_page, live_server, tmp_path
):
    from rencontres.registration.models import Invitation

    edition = open_edition()
    wrong = tmp_path / "invitations.csv"
    wrong.write_text("email;prénom;nom;pays\nana@example.pt;Ana;Silva;Portugal\nben;Ben;Okoro;NG\n")
    page = browser_page
    log_in(page, live_server, f"/en/organiser/{edition.number}/")
    page.get_by_role("link", name="Invitations").click()
    check(page)
    page.get_by_role("link", name="Import a list").click()
    page.get_by_label("Invitation list (CSV or Excel .xlsx)").set_input_files(wrong)
    page.get_by_role("button", name="Check the list").click()
    problems = page.get_by_role("table", name="Problems to correct").inner_text()
    assert "3" in problems and "Enter a valid e-mail address." in problems
    assert page.get_by_role("button", name="Invite 1 person").count() == 0
    check(page)

    right = tmp_path / "invitations-corrected.csv"
    right.write_text(wrong.read_text().replace("ben;", "ben@example.ng;"))
    page.get_by_label("Invitation list (CSV or Excel .xlsx)").set_input_files(right)
    page.get_by_label("E-mail each person their invitation").uncheck()
    page.get_by_role("button", name="Check the list").click()
    page.get_by_role("button", name="Invite 2 people").click()
    assert "2 people invited." in page.locator(".messages").inner_text()
    assert Invitation.objects.filter(edition=edition).count() == 2
    assert "Silva" in page.get_by_role("table", name="Invitations", exact=True).inner_text()
    check(page)


def test_the_admin_works_under_the_policy_without_an_exception(browser_page, live_server):
    """Django's admin has no inline script or style: its pages, date pickers, related-object
    buttons and actions work under the site's policy (the fixture fails on a violation)."""
    from django.utils import timezone

    from rencontres.editions.tests.test_browser import assert_no_csp_violations

    edition = open_edition()
    person = registered(edition, first_name="Awa", last_name="Ndiaye")
    old_secret = person.secret
    page = browser_page
    log_in(page, live_server, "/admin/")
    page.goto(f"{live_server.url}/admin/editions/session/add/")
    page.locator(".datetimeshortcuts a").first.click()  # "Today", filled in by the admin's JS
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert page.locator("#id_starts_at_0").input_value() == today
    page.goto(f"{live_server.url}/admin/registration/registration/{person.pk}/change/")
    assert page.locator("#id_first_name").input_value() == "Awa"
    page.goto(f"{live_server.url}/admin/registration/registration/")
    page.locator(f"input[name=_selected_action][value='{person.pk}']").check()
    page.locator("select[name=action]").select_option("replace_link")
    page.locator("button[name=index]").click()
    page.locator(".messagelist").wait_for()
    person.refresh_from_db()
    assert person.secret != old_secret
    assert_no_csp_violations(page)


def test_an_organiser_e_mails_the_list_after_seeing_whom_it_goes_to(browser_page, live_server):
    """The people holding or awaiting a place are ticked; the preview counts them by status
    before the send button appears; the mailing's page says how many were sent."""
    from rencontres.backoffice.models import Mailing
    from rencontres.mail.models import OutgoingEmail

    from .factories import one_of_each_status

    edition = open_edition()
    one_of_each_status(edition)
    page = browser_page
    log_in(page, live_server, f"/en/organiser/{edition.number}/registrations/")
    assert "4 other registrations" in page.locator("main").inner_text()
    page.get_by_role("link", name="E-mail this list").click()
    statuses = page.get_by_role("group", name="Whom to write to")
    assert statuses.get_by_label("Confirmed (1)").is_checked()
    assert statuses.get_by_label("On the waiting list (1)").is_checked()
    assert not statuses.get_by_label("Cancelled (1)").is_checked()
    assert page.get_by_role("button", name="Send to").count() == 0  # the preview comes first
    check(page)
    page.get_by_label("Subject (French)").fill("Programme de la journée")
    page.get_by_label("Message (French)").fill("Bonjour {first_name},\nle programme est prêt.")
    page.get_by_label("Subject (English)").fill("The day's programme")
    page.get_by_label("Message (English)").fill("Hello {first_name},\nthe programme is ready.")
    page.get_by_role("button", name="Preview before sending").click()
    counts = " ".join(page.get_by_role("table", name="Recipients by status").inner_text().split())
    assert "Confirmed 1" in counts and "Awaiting approval 1" in counts
    assert "On the waiting list 1" in counts and "In all 3" in counts
    assert "Cancelled" not in counts
    check(page)
    page.get_by_role("button", name="Send to 3 people").click()
    page.get_by_text("3 messages are in the outbox").wait_for()
    assert (
        "Confirmed: 1 · Awaiting approval: 1 · On the waiting list: 1"
        in page.locator("main").inner_text()
    )
    check(page)
    assert Mailing.objects.get().done == 3
    assert OutgoingEmail.objects.filter(template="mailing").count() == 3


def test_the_mailing_page_in_french_on_a_phone(browser_page, live_server):
    from .factories import one_of_each_status

    edition = open_edition()
    one_of_each_status(edition)
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 800})
    log_in(page, live_server, f"/organiser/{edition.number}/mailings/new/")
    page.get_by_label("Annulée (1)").check()
    for label, text in (("Objet (français)", "Bonjour"), ("Message (français)", "Texte"),
                        ("Objet (anglais)", "Hello"), ("Message (anglais)", "Text")):  # fmt: skip
        page.get_by_label(label).fill(text)
    page.get_by_role("button", name="Aperçu avant l'envoi").click()
    counts = page.get_by_role("table", name="Destinataires par statut").inner_text()
    assert "Annulée 1" in " ".join(counts.split()) and "Au total 4" in " ".join(counts.split())
    page.get_by_role("button", name="Envoyer à 4 personnes").wait_for()
    check(page)


def test_an_organiser_raises_a_capacity_and_the_first_waiting_gets_the_place(
    browser_page, live_server
):
    from rencontres.mail.models import OutgoingEmail
    from rencontres.registration.models import SessionChoice
    from rencontres.registration.tests.factories import workshop

    edition = open_edition()
    session = workshop(edition, capacity=1, title_en="Water workshop")
    registered(edition, first_name="Ana", last_name="Holder", sessions=[session])
    first = registered(edition, first_name="Chloé", last_name="First", sessions=[session])
    second = registered(edition, first_name="David", last_name="Second", sessions=[session])
    page = browser_page
    log_in(page, live_server, f"/en/organiser/{edition.number}/")
    page.get_by_role("link", name="Sessions", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Sessions with limited places"
    check(page)
    page.get_by_role("link", name="Water workshop").click()
    waiting = page.locator("section[aria-labelledby=waiting-title] tbody tr")
    expect(waiting).to_have_count(2)  # counted once the session's page is there, not while it loads
    assert "First Chloé" in waiting.nth(0).inner_text()
    check(page)
    page.get_by_role("spinbutton", name="Capacity").fill("2")
    page.get_by_role("button", name="Save the capacity").click()
    expect(page.locator(".messages")).to_contain_text("1 person from the waiting list got a place")
    holders = page.locator("section[aria-labelledby=holders-title]").inner_text()
    assert "First Chloé" in holders and "Second David" not in holders
    expect(waiting).to_have_count(1)
    assert "Second David" in waiting.nth(0).inner_text()
    check(page)
    statuses = dict(
        SessionChoice.objects.filter(session=session).values_list("registration", "status")
    )
    assert statuses[first.pk] == "confirmed" and statuses[second.pk] == "waitlisted"
    assert OutgoingEmail.objects.filter(registration=first, template="session_promoted").exists()
    page.get_by_role("link", name="Move or remove – David Second").click()
    check(page)
