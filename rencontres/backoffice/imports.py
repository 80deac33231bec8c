"""Invitation lists from CSV or Excel files: read the file, recognise its columns (French or
English headers, our own exports included), check every row, and keep the result for a preview.
Importing is all or nothing: a list with errors imports no row until it is corrected."""

import csv
import io
import itertools
import logging
import zipfile

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries

from rencontres import background
from rencontres.countries import names_in
from rencontres.forms import simplified, single_line
from rencontres.registration.models import Invitation, Organisation, Registration

from .models import InvitationImport

logger = logging.getLogger(__name__)

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
# A workbook is a zip of XML files: what it unpacks to is checked before anything opens it
# (a 100 KB file can unpack to gigabytes). A list of 5,000 people unpacks to a few MB.
MAX_UNPACKED_BYTES = 25 * 1024 * 1024
MAX_PARTS = 200
# XML packs 5 to 20 times; a large part packed 100 times or more is made to blow up.
MAX_RATIO, RATIO_FROM_BYTES = 100, 1024 * 1024
# What is kept of each row and cell while reading: no column we use is longer than 254
# characters, and a list has a few dozen columns at most.
MAX_CELL_CHARS = 1000
MAX_COLUMNS = 100


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, for the person."""


# Header names we recognise, simplified; the first matching column wins.
COLUMNS = {
    "email": {"email", "e mail", "courriel", "mail", "adresse e mail", "adresse email",
              "adresse electronique", "email address"},
    "first_name": {"first name", "firstname", "prenom", "given name"},
    "last_name": {"last name", "lastname", "nom", "nom de famille", "surname", "family name"},
    "organisation": {"organisation", "organization", "structure", "organisme", "collectivite"},
    "kind": {"kind", "kind of organisation", "kind of organization", "type",
             "type d organisation", "type de structure", "type d organisme"},
    "country": {"country", "pays", "country code", "code pays"},
    "category": {"category", "categorie"},
    "language": {"language", "langue", "preferred language", "langue preferee"},
}  # fmt: skip
REQUIRED = ["email", "first_name", "last_name"]


def column_labels():
    return {
        "email": _("E-mail"),
        "first_name": _("First name"),
        "last_name": _("Last name"),
        "organisation": _("Organisation"),
        "kind": _("Kind of organisation"),
        "country": _("Country"),
        "category": _("Category"),
        "language": _("Language"),
    }


def read_table(upload):
    """(header, rows) of the first sheet or the CSV file: lists of strings."""
    if upload.size > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 5 MB."))
    content = upload.read()
    name = (upload.name or "").lower()
    if name.endswith(".xlsx") or content.startswith(b"PK\x03\x04"):
        table = read_xlsx(content)
    elif name.endswith((".csv", ".txt")) or not name.endswith(".xls"):
        table = read_csv(content)
    else:
        raise ImportFileError(
            _("Old Excel files (.xls) cannot be read: save the list as .xlsx or .csv.")
        )
    table = [[cell_text(cell) for cell in row] for row in table]
    table = [row for row in table if any(row)]
    if not table:
        raise ImportFileError(_("The file is empty."))
    if len(table) - 1 > MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(max)s rows: split it into several lists.")
            % {"max": MAX_ROWS}
        )
    return table[0], table[1:]


def cell_text(cell):
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return single_line(str(cell))


def not_a_workbook():
    return ImportFileError(_("This file is not an Excel workbook (.xlsx) we can read."))


def check_zip(content):
    """Refuse a workbook whose parts would unpack to too much, before opening it. The sizes
    checked are the ones the zip declares: Python's zipfile never unpacks more than that (a
    part that holds more fails its checksum, which reading then reports)."""
    try:
        parts = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as error:
        raise not_a_workbook() from error
    if len(parts) > MAX_PARTS:
        raise ImportFileError(
            _("This workbook has more than %(max)s parts: save the list alone as .xlsx or .csv.")
            % {"max": MAX_PARTS}
        )
    too_packed = any(
        part.file_size > max(RATIO_FROM_BYTES, MAX_RATIO * part.compress_size) for part in parts
    )
    if too_packed or sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise ImportFileError(
            _(
                "Unpacked, this workbook would take more than %(max)s MB, far more than a "
                "list of people: save the list alone as .xlsx or .csv."
            )
            % {"max": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )


def capped(row):
    """A row as read, with at most MAX_COLUMNS cells of at most MAX_CELL_CHARS characters
    (a longer cell is cut as soon as it is read: nothing keeps a huge one)."""
    return [cell[:MAX_CELL_CHARS] if isinstance(cell, str) else cell for cell in row[:MAX_COLUMNS]]


def read_xlsx(content):
    from openpyxl import load_workbook

    check_zip(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
            return [capped(row) for _number, row in zip(range(MAX_ROWS + 2), rows, strict=False)]
        finally:
            workbook.close()
    except Exception as error:
        # The file is the uploader's, and its XML anything at all: a truncated part, an entity
        # (refused by defusedxml), a missing sheet or shared string. openpyxl reports these
        # with many kinds of exceptions; whichever it is, the workbook cannot be read.
        logger.info("unreadable workbook: %s", type(error).__name__)
        raise not_a_workbook() from error


def read_csv(content):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves CSV files in this encoding.
        text = content.decode("cp1252", errors="replace")
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = csv.reader(io.StringIO(text), dialect)
        return [capped(row) for row in itertools.islice(rows, MAX_ROWS + 2)]
    except csv.Error as error:
        raise ImportFileError(_("This file is not a CSV file we can read.")) from error


def match_columns(header):
    """{field: column index} and the names of the columns we do not use."""
    found, ignored = {}, []
    for index, name in enumerate(header):
        field = next((f for f, names in COLUMNS.items() if simplified(name) in names), None)
        if field is None or field in found:
            if name:
                ignored.append(name)
            continue
        found[field] = index
    return found, ignored


class Lookups:
    """Values people write for a country, a kind of organisation, a category, a language."""

    def __init__(self, edition):
        self.countries = {}
        for language in ("en", "fr"):
            for code, name in names_in(language):
                self.countries[simplified(name)] = code
        for code, _name in countries:
            self.countries[simplified(code)] = code
            alpha3 = countries.alpha3(code)
            if alpha3:
                self.countries[simplified(alpha3)] = code
        self.kinds = {}
        for language in ("en", "fr"):
            with translation.override(language):
                for code, label in Organisation.Kind.choices:
                    self.kinds[simplified(label)] = code
                    self.kinds[simplified(code)] = code
        self.categories = {}
        for category in edition.categories.all():
            for name in (category.code, category.name_fr, category.name_en):
                self.categories[simplified(name)] = category.pk
        self.languages = {
            "fr": "fr", "francais": "fr", "french": "fr",
            "en": "en", "anglais": "en", "english": "en",
        }  # fmt: skip


def check_row(values, lookups):
    """(clean row, [(field, message)]) for one row's {field: text}."""
    row, problems = {}, []
    email = values.get("email", "").lower()
    try:
        validate_email(email)
        if len(email) > 254:
            raise ValidationError("too long")
        row["email"] = email
    except ValidationError:
        problems.append(("email", _("Enter a valid e-mail address.")))
    for field, limit in (("first_name", 100), ("last_name", 100), ("organisation", 200)):
        value = values.get(field, "")
        if not value and field in REQUIRED:
            problems.append((field, _("This field is required.")))
        elif len(value) > limit:
            message = _("At most %(limit)s characters (it has %(count)s).")
            problems.append((field, message % {"limit": limit, "count": len(value)}))
        row[field] = value
    for field, table, message in (
        ("country", lookups.countries, _("Unknown country: write its name or its ISO code.")),
        ("kind", lookups.kinds, _("Unknown kind of organisation.")),
        ("category", lookups.categories, _("No category of this edition has this name.")),
        ("language", lookups.languages, _("Write fr or en.")),
    ):
        value = values.get(field, "")
        row[field] = table.get(simplified(value)) if value else None
        if value and row[field] is None:
            problems.append((field, f"{message} ({value[:60]})"))
    if row["language"] is None:
        row["language"] = "fr" if row.get("country") in (None, "FR") else "en"
    return row, problems


def check_file(edition, upload):
    """Read and check an uploaded list; returns the unsaved InvitationImport for the preview."""
    header, rows = read_table(upload)
    columns, ignored = match_columns(header)
    labels = column_labels()
    missing = [labels[field] for field in REQUIRED if field not in columns]
    if missing:
        raise ImportFileError(
            _("The first row must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    lookups = Lookups(edition)
    invited, registered = addresses(Invitation, edition.pk), addresses(Registration, edition.pk)
    clean, problems, skipped, first_row = [], [], [], {}
    for number, cells in enumerate(rows, start=2):  # the spreadsheet's own row numbers
        values = {field: cells[i] if i < len(cells) else "" for field, i in columns.items()}
        row, row_problems = check_row(values, lookups)
        email = row.get("email")
        if email and email in first_row:
            row_problems.append(
                ("email", _("Already in row %(row)s of this file.") % {"row": first_row[email]})
            )
        elif email:
            first_row[email] = number
        for field, message in row_problems:
            problems.append({"row": number, "column": str(labels[field]), "message": message})
        if row_problems:
            continue
        if email in registered:
            skipped.append({"row": number, "email": email, "reason": "registered"})
        elif email in invited:
            skipped.append({"row": number, "email": email, "reason": "invited"})
        else:
            clean.append({**row, "row": number})
    return InvitationImport(
        edition=edition,
        filename=(upload.name or "")[-200:],
        rows=clean,
        problems=problems,
        skipped=skipped,
        ignored_columns=ignored[:20],
    )


def addresses(model, edition_id):
    """The e-mail addresses, in lower case, of an edition's invitations or registrations."""
    return set(model.objects.filter(edition_id=edition_id).values_list(Lower("email"), flat=True))


def taken_addresses(edition_id):
    return addresses(Registration, edition_id) | addresses(Invitation, edition_id)


class ListChanged(Exception):
    """Someone invited or registered one of these addresses since the preview."""


def import_invitations(pending):
    """Create the invitations of a checked list in one transaction: all or none. A second
    confirmation of the same list creates nothing. Returns the import, refreshed."""
    try:
        with transaction.atomic():
            pending = InvitationImport.objects.select_for_update().get(pk=pending.pk)
            if pending.status != InvitationImport.Status.PREVIEW or pending.problems:
                return pending
            now = timezone.now()
            # Invited or registered since the preview: skipped, as the preview would now say.
            taken = taken_addresses(pending.edition_id)
            rows = [row for row in pending.rows if row["email"] not in taken]
            Invitation.objects.bulk_create(
                Invitation(
                    edition_id=pending.edition_id,
                    email=row["email"],
                    first_name=row["first_name"],
                    last_name=row["last_name"],
                    organisation_name=row["organisation"],
                    organisation_kind=row["kind"] or "",
                    country=row["country"] or "",
                    category_id=row["category"],
                    language=row["language"],
                    imported_from=pending,
                    created_at=now,
                )
                for row in rows
            )
            pending.status = InvitationImport.Status.IMPORTED
            pending.imported = len(rows)
            pending.imported_at = now
            pending.save(update_fields=["status", "imported", "imported_at"])
            if pending.send_emails:
                background.enqueue_on_commit(
                    "rencontres.backoffice.tasks.send_invitations", pending.edition_id
                )
    except IntegrityError as error:  # the whole import rolled back: nothing half-imported
        raise ListChanged from error
    return pending
