"""Exports of the filtered registrations list: the cells, the filters, the audit log."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from rencontres.backoffice.models import AuditEntry
from rencontres.registration.tests.factories import open_edition, organisation, registered

from .factories import member

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
    assert rows[3][3] == "+221771234567"  # a phone number stays as typed


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
