"""Exports of a filtered registrations list that open right in a spreadsheet: CSV (UTF-8 with a
BOM; semicolons for French Excel, commas otherwise) and XLSX (typed cells: Paris times as
Excel dates, numbers as numbers; a filter on every column, the header frozen, columns as wide
as their contents). Translated headers, one column per session that takes registrations, and
diet and access needs for the roles that may see them. Rows are read as plain values, not
model objects: 10,000 rows in a second or two."""

import csv
import io
import re

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries

from rencontres.editions.models import Session
from rencontres.privacy.visibility import SENSITIVE_FIELDS
from rencontres.registration.models import Organisation, Registration, SessionChoice

FIELDS = [
    "pk",
    "last_name",
    "first_name",
    "email",
    "phone",
    "job_title",
    "organisation__name",
    "organisation__kind",
    "organisation__country",
    "organisation__identifier",
    "category__name_fr",
    "category__name_en",
    "status",
    "language",
    "delegation__name",
    "created_at",
    "checked_in",
]
# The sensitive columns, in their order, for the roles that may see them (visibility.py).
SENSITIVE_COLUMNS = ["diet", "diet_details", "access_needs"]

# DAY: a date without a time; MONEY: an amount in units of its currency (a Decimal).
TEXT, DATE, NUMBER, DAY, MONEY = "text", "date", "number", "day", "money"
# How a French or an English spreadsheet shows a date, and what a CSV writes for it (French
# Excel reads 02/12/2026 14:05 as a date, any Excel reads 2026-12-02 14:05).
DATE_FORMATS = {
    "fr": ("dd/mm/yyyy hh:mm", "%d/%m/%Y %H:%M"),
    "en": ("yyyy-mm-dd hh:mm", "%Y-%m-%d %H:%M"),
}
DAY_FORMATS = {"fr": ("dd/mm/yyyy", "%d/%m/%Y"), "en": ("yyyy-mm-dd", "%Y-%m-%d")}
SEPARATORS = {"semicolon": ";", "comma": ","}


def english():
    return (translation.get_language() or "fr")[:2] == "en"


def default_separator():
    """French Excel splits a CSV on semicolons (the comma is its decimal mark)."""
    return "comma" if english() else "semicolon"


def sessions_of(edition):
    """The sessions people choose (one column each), in the programme's order."""
    return list(
        Session.objects.filter(edition=edition, registration_required=True).order_by(
            "starts_at", "pk"
        )
    )


def session_header(session):
    start = timezone.localtime(session.starts_at)
    when = f"{formats.date_format(start, 'MONTH_DAY_FORMAT')}, {formats.time_format(start)}"
    return f"{session.title} – {when}"


def columns(sessions, sensitive):
    """[(header, kind)] of the export, in the active language."""
    base = [
        (_("Last name"), TEXT),
        (_("First name"), TEXT),
        (_("E-mail"), TEXT),
        (_("Phone"), TEXT),
        (_("Job title"), TEXT),
        (_("Organisation"), TEXT),
        (_("Kind of organisation"), TEXT),
        (_("Country"), TEXT),
        (_("Country code"), TEXT),
        (_("Official identifier"), TEXT),
        (_("Category"), TEXT),
        (_("Status"), TEXT),
        (_("Preferred language"), TEXT),
        (_("Delegation"), TEXT),
        (_("Registered at"), DATE),
        (_("Checked in"), TEXT),
    ]
    labels = {
        "diet": _("Diet"),
        "diet_details": _("Diet (details)"),
        "access_needs": _("Access needs"),
    }
    base += [(labels[name], TEXT) for name in SENSITIVE_COLUMNS if name in sensitive]
    base += [(session_header(session), TEXT) for session in sessions]
    base.append((_("Registration number"), NUMBER))
    return base


def choices_by_person(queryset, sessions):
    """{registration id: {session id: status}} for the exported people, in one query."""
    wanted = {session.pk for session in sessions}
    found = {}
    if not wanted:
        return found
    rows = SessionChoice.objects.filter(
        registration__in=queryset.order_by().values("pk"), session__in=wanted
    ).values_list("registration_id", "session_id", "status")
    for person, session, status in rows.iterator(chunk_size=5000):
        found.setdefault(person, {})[session] = status
    return found


def rows(queryset, sessions=(), sensitive=()):
    """Lists of typed cell values (str, int, naive Paris datetime, None for an empty cell), in
    the active language and in the order of `columns`, every text already guarded."""

    def labels(choices):
        return {key: guard(str(label)) for key, label in choices}

    kinds = labels(Organisation.Kind.choices)
    statuses = labels(Registration.Status.choices)
    places = labels(SessionChoice.Status.choices)
    diets = labels(Registration.Diet.choices)
    languages = labels(settings.LANGUAGES)
    in_english = english()
    extra = [name for name in SENSITIVE_COLUMNS if name in sensitive]
    choices = choices_by_person(queryset, sessions)
    session_ids = [session.pk for session in sessions]
    names = {}
    yes, no = guard(_("yes")), guard(_("no"))
    for values in queryset.values_list(*FIELDS, *extra).iterator(chunk_size=2000):
        (
            pk,
            last,
            first,
            email,
            phone,
            job,
            organisation,
            kind,
            country,
            identifier,
            category_fr,
            category_en,
            status,
            language,
            delegation,
            created,
            checked,
        ) = values[: len(FIELDS)]
        code = str(country)
        if code not in names:
            names[code] = guard(str(countries.name(code)))
        row = [
            guard(last) or None,
            guard(first) or None,
            guard(email) or None,
            guard(phone) or None,
            guard(job) or None,
            guard(organisation) or None,
            kinds.get(kind) or guard(kind) or None,
            names[code] or None,
            code or None,
            guard(identifier) or None,
            guard(category_en if in_english else category_fr) or None,
            statuses.get(status) or guard(status),
            languages.get(language) or guard(language),
            guard(delegation) or None,
            timezone.localtime(created).replace(tzinfo=None, microsecond=0),
            yes if checked else no,
        ]
        for name, value in zip(extra, values[len(FIELDS) :], strict=True):
            row.append((diets.get(value) if name == "diet" else guard(value)) or None)
        mine = choices.get(pk, {})
        row += [places[mine[session]] if session in mine else None for session in session_ids]
        row.append(pk)
        yield row


def allowed_sensitive(hidden):
    """The sensitive columns a person may export: those visibility.py does not hide."""
    return {name for name in SENSITIVE_COLUMNS if name in SENSITIVE_FIELDS and name not in hidden}


def table(queryset, edition, hidden=None):
    """(columns, rows) of an export. `hidden`: the sensitive fields the person may not see
    (visibility.hidden_fields); None hides them all."""
    sensitive = allowed_sensitive(set(SENSITIVE_FIELDS) if hidden is None else hidden)
    sessions = sessions_of(edition)
    return columns(sessions, sensitive), rows(queryset, sessions, sensitive)


def as_csv(queryset, edition, hidden=None, separator=None):
    header, body = table(queryset, edition, hidden)
    return csv_file(header, body, separator)


def csv_file(header, body, separator=None):
    """UTF-8 with a BOM (so that spreadsheet programs read accents right), separated by
    semicolons or commas (`separator`: "semicolon", "comma", or the language's default). A
    text that Excel would read as a number is written as one it keeps (as_text); an amount
    with the language's decimal mark."""
    delimiter = SEPARATORS.get(separator) or SEPARATORS[default_separator()]
    language = "en" if english() else "fr"
    date_format, day_format = DATE_FORMATS[language][1], DAY_FORMATS[language][1]
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(guard(title) for title, _kind in header)
    dates = [index for index, (_title, kind) in enumerate(header) if kind == DATE]
    days = [index for index, (_title, kind) in enumerate(header) if kind == DAY]
    amounts = [index for index, (_title, kind) in enumerate(header) if kind == MONEY]
    texts = [index for index, (_title, kind) in enumerate(header) if kind == TEXT]
    for row in body:
        for index in dates:
            row[index] = row[index].strftime(date_format)
        for index in days:
            row[index] = row[index].strftime(day_format) if row[index] else ""
        for index in amounts:
            if row[index] is not None:  # an amount a row has not (a journal's payment)
                row[index] = f"{row[index]:.2f}".replace(".", "," if language == "fr" else ".")
        for index in texts:
            value = row[index]
            if value is not None and NUMBER_LIKE.fullmatch(value):
                row[index] = as_text(value)
        writer.writerow(row)
    return buffer.getvalue().encode()


# A text Excel opens as a number, losing what made it text: the + of "+221771234567", the
# zero of the INSEE code "01053", the digits past the fifteenth of a long identifier.
NUMBER_LIKE = re.compile(r"[+-]?[\d ]*\d[\d ]*")


def as_text(value):
    """A NUMBER_LIKE text as a CSV cell Excel keeps as text: ="+221771234567" (a formula
    whose result is that text; it can run nothing else, holding only digits, spaces and a
    sign). The XLSX needs none of this: its text cells are typed."""
    return f'="{value}"'


def widths(header, body):
    """A width per column, in characters: as wide as the longest value (up to a limit)."""
    found = [len(title) for title, _kind in header]
    for row in body:
        for index, value in enumerate(row):
            if value.__class__ is str:
                length = len(value)
                if length > found[index]:
                    found[index] = length
    return [
        16 if kind in (DATE, DAY, MONEY) else max(8, min(width, 50)) + 2
        for width, (_title, kind) in zip(found, header, strict=True)
    ]


def as_xlsx(queryset, edition, hidden=None):
    header, body = table(queryset, edition, hidden)
    return workbook(_("Registrations"), header, body)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_download(content, name):
    """A workbook's bytes as a download named `name`-<Paris time stamp>.xlsx."""
    from django.http import HttpResponse

    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
    return response


def workbook(title, header, body):
    """One sheet named `title`: `header` [(title, kind)] in bold over a filter, frozen, and the
    `body` rows (typed values, as `rows` makes them: texts guarded, dates naive Paris times),
    columns as wide as their contents; returns the file's bytes."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    body = list(body)  # the widths need every row before the first is written
    book = Workbook(write_only=True)
    # A sheet's name holds at most 31 characters, and none of []:*?/\
    sheet = book.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", str(title))[:31])
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths(header, body), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    last = get_column_letter(len(header))
    sheet.auto_filter.ref = f"A1:{last}{len(body) + 1}"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE6F0")
    wrap = Alignment(vertical="top", wrap_text=True)
    titles = []
    for heading, _kind in header:
        cell = WriteOnlyCell(sheet, value=guard(heading))
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
        titles.append(cell)
    sheet.append(titles)
    language = "en" if english() else "fr"
    formats = {DATE: DATE_FORMATS[language][0], DAY: DAY_FORMATS[language][0], MONEY: "#,##0.00"}
    typed = [(index, formats[kind]) for index, (_title, kind) in enumerate(header)
             if kind in formats]  # fmt: skip
    for row in body:
        for index, number_format in typed:
            if row[index] is not None:
                cell = WriteOnlyCell(sheet, value=row[index])
                cell.number_format = number_format
                row[index] = cell
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Control characters a worksheet cannot hold (openpyxl refuses them): tab, line feed and
# carriage return are kept.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def guard(value):
    """A cell a spreadsheet would run as a formula (=, @, tab, carriage return, or + and -
    before anything but a number, as in "+33 6 12...") is kept as text: a name typed as a
    formula stays a name. Control characters are dropped."""
    if not isinstance(value, str) or not value:
        return value
    value = CONTROL_CHARACTERS.sub("", value)
    if value[:1] in ("=", "@", "\t", "\r") or (
        value[:1] in ("+", "-") and not value[1:].replace(" ", "").isdigit()
    ):
        return "'" + value
    return value
