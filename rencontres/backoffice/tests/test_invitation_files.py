"""Broken and hostile invitation lists, built here: a workbook that unpacks to gigabytes, too
many parts, a part packed far beyond what XML packs, truncated XML, external entities (XXE),
billion laughs, a missing sheet or shared string, a file that is not a zip. Each gets a
message next to the file field and no 500; memory stays bounded; long cells are cut while
reading."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from rencontres.backoffice import imports
from rencontres.backoffice.models import InvitationImport
from rencontres.registration.tests.factories import open_edition

from .factories import member
from .test_invitations import upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def edition():
    return open_edition()


@pytest.fixture
def organiser(client, edition):
    client.force_login(member(edition, "organiser"))
    return client


NOT_READABLE = "This file is not an Excel workbook (.xlsx) we can read."
TOO_BIG = "Unpacked, this workbook would take more than 25 MB"
SHEET = "xl/worksheets/sheet1.xml"


def workbook(rows=(("email", "first name", "last name"), ("awa@example.sn", "X", "Ndiaye"))):
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewritten(content, part, change, extra=()):
    """The workbook with `part` changed (None: removed) and `extra` parts added."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == part:
                data = change(data)
            if data is not None:
                archive.writestr(item.filename, data)
        for name, data in extra:
            archive.writestr(name, data)
    return out.getvalue()


def with_doctype(doctype, reference, old=b"<t>X</t>", new=b"<t>%s</t>"):
    def change(data):
        data = data.replace(old, new % reference)
        return doctype + (data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data)

    return change


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, b"".join(b"&lol%d;" % (n - 1) for _ in range(10)))
        for n in range(1, 10)
    )
    + b"]>"
)
XXE = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
XXE_PARAMETER = (
    b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd">'
    b"%remote;]>"
)
SHEET_NAME = (b'name="Sheet"', b'name="%s"')


def bomb(size=100_000_000):
    """About 100 KB that unpacks to 100 MB: one cell of a hundred million letters."""
    return rewritten(
        workbook(), SHEET, lambda d: d.replace(b"<t>X</t>", b"<t>" + b"A" * size + b"</t>")
    )


def edited(part, change, extra=()):
    return lambda: rewritten(workbook(), part, change, extra)


def no_string_seven(data):
    return data.replace(
        b'<c r="B2" t="inlineStr"><is><t>X</t></is></c>', b'<c r="B2" t="s"><v>7</v></c>'
    )


# What each case's file is (built when its test runs) and the message it gets.
HOSTILE = {
    "not a zip": (lambda: b"email,first name\n" * 3, NOT_READABLE),
    "a truncated zip": (lambda: workbook()[:1500], NOT_READABLE),
    "truncated sheet XML": (edited(SHEET, lambda d: d[: len(d) // 2]), NOT_READABLE),
    "billion laughs in the sheet": (edited(SHEET, with_doctype(LAUGHS, b"&lol9;")), NOT_READABLE),
    "an external entity in the sheet": (edited(SHEET, with_doctype(XXE, b"&xxe;")), NOT_READABLE),
    "an external parameter entity": (
        edited(SHEET, with_doctype(XXE_PARAMETER, b"x")), NOT_READABLE),
    "billion laughs in the workbook part": (
        edited("xl/workbook.xml", with_doctype(LAUGHS, b"&lol9;", *SHEET_NAME)), NOT_READABLE),
    "an external entity in the workbook part": (
        edited("xl/workbook.xml", with_doctype(XXE, b"&xxe;", *SHEET_NAME)), NOT_READABLE),
    "no workbook part": (edited("xl/workbook.xml", lambda d: None), NOT_READABLE),
    "no sheet": (edited(SHEET, lambda d: None), NOT_READABLE),
    "a shared string that does not exist": (edited(SHEET, no_string_seven), NOT_READABLE),
    "broken content types": (edited("[Content_Types].xml", lambda d: d[:50]), NOT_READABLE),
    "a zip bomb of 100 MB in 100 KB": (bomb, TOO_BIG),
    "a part packed 1000 times": (lambda: bomb(5_000_000), TOO_BIG),
    "too many parts": (
        edited(None, None, [(f"xl/media/{n}.bin", b"x") for n in range(300)]),
        "This workbook has more than 200 parts"),
}  # fmt: skip


@pytest.mark.parametrize("case", HOSTILE)
def test_a_broken_or_hostile_workbook_gets_a_message_next_to_the_field(organiser, edition, case):
    build, message = HOSTILE[case]
    content = build()
    response = upload(organiser, edition, SimpleUploadedFile("list.xlsx", content))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["file"], errors
    assert message in errors["file"][0]
    assert b"root:" not in response.content  # /etc/passwd never shows
    assert not InvitationImport.objects.exists()


def test_reading_the_100_kb_bomb_stays_within_a_few_megabytes(organiser, edition):
    """Before the zip was checked, reading it took 1 GB and 45 s (openpyxl unpacked the cell,
    then every character of it went through the cleaning)."""
    content = bomb()
    assert len(content) < 110_000
    tracemalloc.start()
    try:
        with pytest.raises(imports.ImportFileError, match=TOO_BIG):
            imports.read_table(SimpleUploadedFile("list.xlsx", content))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024, f"{peak / 2**20:.1f} MB"


def as_csv(rows):
    return "\n".join(",".join(row) for row in rows).encode()


def test_long_cells_are_cut_while_reading_and_reported_on_their_row(organiser, edition):
    long_name = "A" * 50_000
    rows = [("email", "first name", "last name", *(f"extra {n}" for n in range(150))),
            ("awa@example.sn", long_name, "Ndiaye", *("x" for _ in range(150)))]  # fmt: skip
    for table in (imports.read_xlsx(workbook(rows)), imports.read_csv(as_csv(rows))):
        assert len(table[0]) == imports.MAX_COLUMNS
        assert len(table[1][1]) == imports.MAX_CELL_CHARS
    response = upload(organiser, edition, SimpleUploadedFile("list.xlsx", workbook(rows)))
    pending = InvitationImport.objects.get()
    assert response.status_code == 302
    assert pending.problems == [
        {"row": 2, "column": "First name", "message": "At most 100 characters (it has 1000)."}
    ]


def test_a_real_list_near_the_limits_is_still_read(organiser, edition):
    """5,000 people and 15 columns: a few MB unpacked, well inside every limit."""
    rows = [("email", "first name", "last name", *(f"column {n}" for n in range(12)))]
    rows += [(f"p{n}@example.org", "Awa", "Ndiaye", *(f"value {n}" for _ in range(12)))
             for n in range(5000)]  # fmt: skip
    header, table = imports.read_table(SimpleUploadedFile("list.xlsx", workbook(rows)))
    assert len(table) == 5000 and header[:3] == ["email", "first name", "last name"]
