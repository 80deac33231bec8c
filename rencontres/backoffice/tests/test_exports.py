"""Exports of the filtered registrations list: the cells, the filters, the audit log."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from rencontres.models import AuditEntry
from rencontres.registration.tests.factories import (
    open_edition,
    organisation,
    registered,
    workshop,
)

from .factories import member, one_of_each_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return open_edition()


@pytest.fixture
def people(edition):
    return [
        registered(
            edition,
            first_name="Awa",
            last_name="Ndiaye",
            phone="+221771234567",
            organisation=organisation("Ville de Thiès", "SN", "foreign_authority"),
        ),
        registered(
            edition,
            first_name="Claire",
            last_name="Martin",
            organisation=organisation("Région Occitanie", "FR", "region"),
        ),
        registered(edition, first_name='=HYPERLINK("x")', last_name="Evil"),
    ]


def url(edition, name, **params):
    with translation.override("en"):
        return reverse(f"backoffice:{name}", args=[edition.number])


def test_the_xlsx_has_translated_headers_and_the_filtered_rows(client, edition, people):
    client.force_login(member(edition, "organiser"))
    response = client.get(url(edition, "export_xlsx"), {"country": "SN"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Last name", "First name", "E-mail")
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Last name"] == "Ndiaye" and row["Organisation"] == "Ville de Thiès"
    assert row["Country"] == "Senegal" and row["Country code"] == "SN"
    assert row["Phone"] == "+221771234567" and row["Status"] == "Confirmed"
    entry = AuditEntry.objects.get()
    assert entry.action == "export_xlsx" and entry.details["rows"] == 1


def test_the_csv_reads_in_spreadsheets_and_never_runs_a_formula(client, edition, people):
    client.force_login(member(edition, "organiser"))
    response = client.get(url(edition, "export_csv"), {"sort": "name"})
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert [row[0] for row in rows[1:]] == ["Evil", "Martin", "Ndiaye"]
    assert rows[1][1] == '\'=HYPERLINK("x")'
    assert rows[3][3] == '="+221771234567"'  # a phone number Excel keeps as typed (as text)


def test_the_csv_keeps_phone_numbers_and_leading_zeros_as_text_for_excel(client, edition):
    """Excel reads "+221771234567" in a CSV as the number 221771234567 and "01053" as 1053:
    such texts are written as ="..." (which Excel shows as the text itself); a text that is
    not all digits is written as it is, and a formula is still guarded."""
    town = organisation("Bourg-en-Bresse", "FR", "commune")
    type(town).objects.filter(pk=town.pk).update(identifier="01053")
    registered(edition, last_name="Diallo", first_name="0042", phone="+221 77 123 45 67",
               job_title="-0123", organisation=town)  # fmt: skip
    registered(edition, last_name="Evil", first_name="=1+2", phone="+33 (0)6 12", job_title="12a")
    client.force_login(member(edition, "organiser"))
    content = export(client, edition, "csv", "fr", sort="name").content
    assert b';"=""+221 77 123 45 67""";' in content and b';"=""01053""";' in content
    header, diallo, evil = csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")
    diallo, evil = dict(zip(header, diallo, strict=True)), dict(zip(header, evil, strict=True))
    assert (diallo["Prénom"], diallo["Téléphone"], diallo["Fonction"]) == (
        '="0042"',
        '="+221 77 123 45 67"',
        '="-0123"',
    )
    assert diallo["Identifiant officiel"] == '="01053"'
    assert diallo["N° d'inscription"].isdigit()  # the registration number stays a number
    assert (evil["Prénom"], evil["Téléphone"], evil["Fonction"]) == ("'=1+2", "'+33 (0)6 12", "12a")


def test_control_characters_in_a_name_are_dropped_from_the_excel_file(client, edition):
    """openpyxl refuses them: one name with an escape sequence broke the whole export."""
    registered(edition, first_name="Awa\x1b[31m", last_name="\tNdiaye\x0b", job_title="\x07")
    client.force_login(member(edition, "organiser"))
    response = client.get(url(edition, "export_xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    last, first = (cell.value for cell in next(sheet.iter_rows(min_row=2, max_col=2)))
    assert (last, first) == ("'\tNdiaye", "Awa[31m")


def test_staff_see_the_list_but_cannot_export(client, edition, people):
    client.force_login(member(edition, "staff"))
    page = client.get(url(edition, "registrations"), {"q": "ndiaye"})
    assert [p.last_name for p in page.context["page"].object_list] == ["Ndiaye"]
    assert "export.csv" not in page.content.decode()
    assert client.get(url(edition, "export_csv")).status_code == 403
    assert not AuditEntry.objects.exists()


def test_the_list_filters_and_ignores_bad_filters(client, edition, people):
    client.force_login(member(edition, "organiser"))
    page = client.get(url(edition, "registrations"), {"kind": "region", "category": "x"})
    assert [p.last_name for p in page.context["page"].object_list] == ["Martin"]
    assert page.context["filters"].errors
    page = client.get(url(edition, "registrations"), {"checked_in": "yes"})
    assert list(page.context["page"].object_list) == []


# Files that open right in French (and English) Excel ---------------------------------------


def export(client, edition, kind, language="en", **params):
    with translation.override(language):
        path = reverse(f"backoffice:export_{kind}", args=[edition.number])
    return client.get(path, params)


def read_csv(response, delimiter):
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def test_the_french_csv_is_split_on_semicolons_with_french_dates(client, edition, people):
    client.force_login(member(edition, "organiser"))
    rows = read_csv(export(client, edition, "csv", "fr", sort="name"), ";")
    assert rows[0][:3] == ["Nom", "Prénom", "E-mail"]
    row = dict(zip(rows[0], rows[3], strict=True))
    assert row["Organisme"] == "Ville de Thiès" and row["Pays"] == "Sénégal"
    ndiaye = people[0]
    assert row["Inscrit·e le"] == timezone.localtime(ndiaye.created_at).strftime("%d/%m/%Y %H:%M")
    assert row["N° d'inscription"] == str(ndiaye.pk)


def test_the_english_csv_uses_commas_and_the_page_offers_the_other_separator(
    client, edition, people
):
    client.force_login(member(edition, "organiser"))
    rows = read_csv(export(client, edition, "csv", "en"), ",")
    assert rows[0][:3] == ["Last name", "First name", "E-mail"] and len(rows) == 4
    assert read_csv(export(client, edition, "csv", "en", separator="semicolon"), ";")[0][0] == (
        "Last name"
    )
    page = client.get(url(edition, "registrations"), {"country": "SN"}).content.decode()
    assert "export.csv?country=SN&amp;separator=semicolon" in page
    with translation.override("fr"):
        page = client.get(reverse("backoffice:registrations", args=[edition.number]))
    assert "export.csv?separator=comma" in page.content.decode()


def test_the_xlsx_has_a_filter_a_frozen_header_widths_and_typed_cells(client, edition, people):
    client.force_login(member(edition, "organiser"))
    sheet = load_workbook(io.BytesIO(export(client, edition, "xlsx", "fr").content)).active
    header = [cell.value for cell in sheet[1]]
    last = sheet.cell(row=1, column=len(header)).column_letter
    assert sheet.auto_filter.ref == f"A1:{last}4"
    assert sheet.freeze_panes == "A2"
    email = header.index("E-mail") + 1
    assert sheet.column_dimensions[sheet.cell(row=1, column=email).column_letter].width >= 20
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    ndiaye = dict(zip(header, rows["Ndiaye"], strict=True))
    registered_at = ndiaye["Inscrit·e le"]
    # An Excel date, in Paris time (Excel knows no time zones), shown the French way.
    assert registered_at.is_date and registered_at.number_format == "dd/mm/yyyy hh:mm"
    assert registered_at.value == timezone.localtime(people[0].created_at).replace(
        tzinfo=None, microsecond=0
    )
    number = ndiaye["N° d'inscription"]
    assert number.data_type == "n" and number.value == people[0].pk
    # A phone number and an INSEE code stay text (their + and leading zeros are kept).
    assert ndiaye["Téléphone"].data_type == "s" and ndiaye["Téléphone"].value == "+221771234567"


def test_each_session_taking_registrations_gets_a_column_with_the_place(client, edition):
    water = workshop(edition, capacity=1, title_en="Water workshop")
    workshop(edition, capacity=5, hour=16, title_en="Energy workshop")
    registered(edition, last_name="First", sessions=[water])
    registered(edition, last_name="Second", sessions=[water])
    registered(edition, last_name="Third")
    client.force_login(member(edition, "organiser"))
    sheet = load_workbook(io.BytesIO(export(client, edition, "xlsx", sort="name").content)).active
    header = [cell.value for cell in sheet[1]]
    water_column = header.index("Water workshop – 4 November, 14:00")
    energy_column = header.index("Energy workshop – 4 November, 16:00")
    places = {
        row[0]: (row[water_column], row[energy_column])
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert places == {
        "First": ("Confirmed", None),
        "Second": ("On the waiting list", None),
        "Third": (None, None),
    }


def test_diet_and_access_needs_are_columns_for_the_roles_allowed_only(client, edition, monkeypatch):
    from rencontres import roles

    registered(edition, last_name="Diallo", diet="halal", diet_details="Sans arachide",
               access_needs="Rampe d’accès", passport_name="DIALLO Aminata")  # fmt: skip
    client.force_login(member(edition, "organiser"))
    rows = read_csv(export(client, edition, "csv"), ",")
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["Diet"], row["Diet (details)"], row["Access needs"]) == (
        "Halal", "Sans arachide", "Rampe d’accès")  # fmt: skip
    assert "DIALLO Aminata" not in rows[1]  # the passport name is for visa letters only
    assert AuditEntry.objects.get().details["sensitive"] == ["access_needs", "diet", "diet_details"]
    # A role that may export but not see needs (visibility.py's rule) gets neither column.
    without_needs = roles.CAPABILITIES[roles.Role.ORGANISER] - {roles.NEEDS}
    monkeypatch.setitem(roles.CAPABILITIES, roles.Role.ORGANISER, without_needs)
    rows = read_csv(export(client, edition, "csv"), ",")
    assert "Diet" not in rows[0] and "Access needs" not in rows[0]
    assert "Halal" not in rows[1] and "Rampe d’accès" not in rows[1]
    assert "sensitive" not in AuditEntry.objects.first().details


def test_formulas_stay_text_in_every_column_of_both_files(client, edition):
    workshop(edition, title_en="=cmd|' /C calc'!A0")
    registered(edition, last_name="Evil", job_title="@SUM(1+1)", access_needs="=1+1",
               diet_details="-2+3")  # fmt: skip
    client.force_login(member(edition, "organiser"))
    rows = read_csv(export(client, edition, "csv"), ",")
    assert all(not value.startswith(("=", "@", "-")) for value in rows[0] + rows[1])
    sheet = load_workbook(io.BytesIO(export(client, edition, "xlsx").content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert cells and all(cell.data_type != "f" for cell in cells)


def test_the_list_and_its_exports_hold_people_with_or_awaiting_a_place_by_default(client, edition):
    """Cancelled, rejected, unconfirmed and erased people are one click away, not in the
    catering list by default."""
    one_of_each_status(edition)
    client.force_login(member(edition, "organiser"))
    page = client.get(url(edition, "registrations"), {"sort": "name"})
    shown = {person.first_name for person in page.context["page"].object_list}
    assert shown == {"Confirmée", "Presse", "Attente"}
    html = page.content.decode()
    assert "4 other registrations (cancelled, rejected, address not confirmed, or erased)" in html
    assert 'href="?sort=name&amp;status=all">Show every status</a>' in html
    rows = read_csv(export(client, edition, "csv"), ",")
    assert sorted(row[1] for row in rows[1:]) == ["Attente", "Confirmée", "Presse"]
    everyone = client.get(url(edition, "registrations"), {"status": "all"})
    assert everyone.context["page"].paginator.count == 7 and everyone.context["others"] == 0
    assert len(read_csv(export(client, edition, "csv", status="all"), ",")) == 8
    cancelled = client.get(url(edition, "registrations"), {"status": "cancelled"})
    assert [p.first_name for p in cancelled.context["page"].object_list] == ["Annulée"]
