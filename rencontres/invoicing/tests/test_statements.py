"""Bank statements: a French bank's CSV (latin-1, semicolons, comma decimals, a preamble above
the header) and a camt.053 file are read into their credits; matches are proposed by the
invoice number in the label and the amount due; an organiser confirms them, which records the
payments; a file, or a line, imported twice is kept once; a bad file gets a message, never a
server error."""

import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from rencontres.invoicing import bank_files, services, statements
from rencontres.invoicing.models import BankStatement, Invoice, Payment, StatementLine
from rencontres.invoicing.selectors import with_credit_notes

from .factories import edition_with_invoiced_category, fee, foreign_payer, invoiced_person

FIXTURES = Path(__file__).parent / "fixtures"
ISSUED = datetime.date(2027, 1, 10)


def upload(name):
    return SimpleUploadedFile(name, (FIXTURES / name).read_bytes())


# Reading the files (no database) -------------------------------------------------------------


def test_a_french_banks_csv_is_read_with_its_preamble_accents_and_debits():
    statement = bank_files.read((FIXTURES / "releve-fevrier.csv").read_bytes(), "releve.csv")
    amounts = [entry.amount_cents for entry in statement.entries]
    assert amounts == [45000, -8520, 10000, 123450, 6000]  # the balance line is no operation
    assert statement.entries[1].label == "PRLV SEPA EDF ÉLECTRICITÉ"  # read as latin-1
    assert statement.entries[0].booked_on == datetime.date(2027, 2, 5)


@pytest.mark.parametrize(
    "content",
    [
        "Date opération;Libellé;Montant\n05/02/2027;VIR F2027-00001;450,00\n"
        "06/02/2027;EDF;-85,20\n",
        "\ufeffDate;Date valeur;Libellé;Détail;Débit (€);Crédit (€)\n"
        "05/02/2027;06/02/2027;VIR SEPA;F2027-00001;;450,00\n06/02/2027;06/02/2027;EDF;;85,20;\n",
        "Date de comptabilisation,Libelle operation,Montant(EUROS)\n"
        '05/02/27,VIR F2027-00001,"450,00"\n06/02/27,EDF,"-85,20"\n',
        "Date\tLibellé\tDébit\tCrédit\n05/02/2027\tVIR F2027-00001\t\t+450,00\n"
        "06/02/2027\tEDF\t-85,20\t\n",
        "Date;Libellé;Montant\n2027-02-05;VIR F2027-00001;1.450,00\n06/02/2027;EDF;-85,20\n",
    ],
    ids=["montant", "bom-detail-value-date", "commas-short-year", "tabs-signs", "thousands"],
)
def test_the_common_variants_of_columns_and_numbers_are_read(content):
    entries = bank_files.read(content.encode("utf-8"), "export.csv").entries
    assert [entry.booked_on for entry in entries] == [datetime.date(2027, 2, 5),
                                                      datetime.date(2027, 2, 6)]  # fmt: skip
    assert entries[1].amount_cents == -8520
    assert entries[0].amount_cents in (45000, 145000)
    assert "F2027-00001" in entries[0].label


def test_a_camt053_file_gives_its_booked_entries_with_the_banks_reference():
    statement = bank_files.read((FIXTURES / "camt053.xml").read_bytes(), "camt053.xml")
    assert statement.file_format == "camt053" and statement.left_out == 1  # the pending one
    first, debit, third = statement.entries
    assert (first.amount_cents, first.bank_reference, first.booked_on) == (
        45000, "20270205-000117", datetime.date(2027, 2, 5),
    )  # fmt: skip
    assert "F202700001" in first.label and "VILLE DE LYON" in first.label
    assert debit.amount_cents == -8520 and third.amount_cents == 30000


def test_a_camt053_batch_gives_one_entry_per_transaction():
    xml = b"""<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>
    <Stmt><Ntry><Amt Ccy="EUR">250.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
    <BookgDt><DtTm>2027-03-01T10:00:00</DtTm></BookgDt><AcctSvcrRef>B1</AcctSvcrRef><NtryDtls>
    <TxDtls><Amt Ccy="EUR">100.00</Amt><RltdPties><Dbtr><Pty><Nm>NANTES</Nm></Pty></Dbtr>
    </RltdPties><RmtInf><Ustrd>F2027-00003</Ustrd></RmtInf></TxDtls>
    <TxDtls><Amt Ccy="EUR">150.00</Amt><RmtInf><Strd><CdtrRefInf><Ref>F2027-00004</Ref>
    </CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>"""
    entries = bank_files.read(xml).entries
    assert [(e.amount_cents, e.bank_reference) for e in entries] == [(10000, "B1/1"),
                                                                     (15000, "B1/2")]  # fmt: skip
    assert entries[0].label == "F2027-00003 NANTES" and entries[1].label == "F2027-00004"


@pytest.mark.parametrize(
    "content, words",
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\nnot a statement", "not a bank statement"),
        (b"Nom;Prenom\nMartin;Claire\n", "not a bank statement"),
        (b"Date;Libelle;Montant\n05/02/2027;VIR;douze euros\n", "line 2"),
        (b"<Document><BkToCstmrStmt>", "not an XML file"),
        (b"<html><body>camt</body></html>", "not an ISO 20022 camt.053"),
        (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><Document>&a;</Document>',
         "not an XML file"),
        (b"<Document><BkToCstmrStmt><Stmt><Ntry><Amt>1e400</Amt><BookgDt><Dt>2027-01-01</Dt>"
         b"</BookgDt></Ntry></Stmt></BkToCstmrStmt></Document>", "cannot be read"),
        (b"<Document><BkToCstmrStmt><Stmt><Ntry><Amt>5</Amt></Ntry></Stmt></BkToCstmrStmt>"
         b"</Document>", "no booking date"),
    ],
    ids=["empty", "image", "other-csv", "bad-amount", "truncated", "not-camt", "entity",
         "huge-amount", "no-date"],
)  # fmt: skip
def test_a_file_that_cannot_be_read_says_why(content, words):
    with translation.override("en"), pytest.raises(bank_files.BankFileError) as error:
        bank_files.read(content)
    assert words in str(error.value)


@settings(max_examples=200, deadline=None)
@given(st.one_of(
    st.binary(max_size=300),
    st.lists(st.sampled_from(["Date", "Libellé", "Montant", "Crédit", "05/02/2027", "450,00",
                              "-1.234,5", ";", "\n", '"', "\x00", "é", "<", "€"]),
             max_size=60).map(lambda parts: "".join(parts).encode("utf-8")),
))  # fmt: skip
def test_any_bytes_are_read_or_refused_with_a_message(content):
    try:
        statement = bank_files.read(content, "x.csv")
    except bank_files.BankFileError as error:
        assert str(error)
    else:
        assert all(isinstance(entry.amount_cents, int) for entry in statement.entries)


@pytest.mark.parametrize(
    "label, numbers",
    [
        ("VIR SEPA F2027-00012 LYON", ["F2027-00012"]),
        ("facture f202700012", ["F2027-00012"]),
        ("FACT F 2027 00012 ET F2027/00013", ["F2027-00012", "F2027-00013"]),
        ("REF2027-00012", []),  # a word that ends in F is not an invoice number
        ("F2027-000123", []),
    ],
)
def test_invoice_numbers_are_found_however_the_label_writes_them(label, numbers):
    assert statements.numbers_in(label) == numbers


# Importing and matching ----------------------------------------------------------------------


@pytest.fixture
def invoices(db):
    """F2027-00001 to a commune (450 € due), F2027-00002 to an embassy (300 €), F2027-00003 to
    a person (1 234,50 €)."""
    edition = edition_with_invoiced_category()
    found = []
    for payer, cents in ((None, 45000), (foreign_payer, 30000), (None, 123450)):
        registration, owner = invoiced_person(edition, **({"payer": payer} if payer else {}))
        found.append(services.issue_invoice(edition, owner, [registration],
                                            [fee(unit_cents=cents)], actor=None,
                                            today=ISSUED))  # fmt: skip
    assert [invoice.number for invoice in found] == ["F2027-00001", "F2027-00002", "F2027-00003"]
    return found


def shown(statement):
    return [(row.invoice.number if row.invoice else None, row.strength, bool(row.payment))
            for row in statements.rows(statement)]  # fmt: skip


@pytest.mark.django_db
def test_a_csv_statement_proposes_matches_strong_and_weak(invoices):
    edition = invoices[0].edition
    statement = statements.import_statement(edition, upload("releve-fevrier.csv"), None)
    assert statement.lines.count() == 4 and statement.debits == 1
    assert shown(statement) == [
        ("F2027-00001", "strong", False),  # the number and the amount due
        ("F2027-00002", "weak", False),  # "F 2027 00002", but 100 € of the 300 € due
        ("F2027-00003", "weak", False),  # no number: the one invoice due 1 234,50 €
        (None, "", False),  # a cheque nobody can tell
    ]


@pytest.mark.django_db
def test_confirming_records_the_payments_once(invoices):
    edition = invoices[0].edition
    statement = statements.import_statement(edition, upload("releve-fevrier.csv"), None)
    lines = list(statement.lines.all())
    choices = {lines[0].pk: "F2027-00001", lines[1].pk: "f 2027 00002"}
    outcome = statements.confirm(statement, choices, actor=None)
    assert len(outcome.recorded) == 2 and not outcome.problems
    again = statements.confirm(statement, choices, actor=None)  # the form sent twice
    assert again.recorded == [] and not again.problems
    assert Payment.objects.count() == 2
    first = Payment.objects.get(invoice=invoices[0])
    assert (first.method, first.received_on, first.statement_line) == (
        "transfer", datetime.date(2027, 2, 5), lines[0],
    )  # fmt: skip
    states = [with_credit_notes(Invoice.objects.filter(pk=i.pk)).get().state(ISSUED)
              for i in invoices]  # fmt: skip
    assert states == ["paid", "partly_paid", "unpaid"]
    assert shown(statement)[:2] == [("F2027-00001", "", True), ("F2027-00002", "", True)]


@pytest.mark.django_db
def test_a_line_above_what_is_due_or_naming_no_invoice_is_left_with_why(invoices):
    edition = invoices[0].edition
    statement = statements.import_statement(edition, upload("releve-fevrier.csv"), None)
    lines = list(statement.lines.all())
    outcome = statements.confirm(
        statement, {lines[2].pk: "F2027-00002", lines[3].pk: "F2027-99999"}, actor=None
    )
    assert outcome.recorded == []
    assert outcome.problems[lines[2].pk] == ("overpayment", invoices[1], 30000)
    assert outcome.problems[lines[3].pk][0] == "unknown_invoice"


@pytest.mark.django_db
def test_the_same_file_or_the_same_lines_again_create_nothing(invoices):
    edition = invoices[0].edition
    first = statements.import_statement(edition, upload("releve-fevrier.csv"), None)
    with pytest.raises(statements.AlreadyImported) as known:
        statements.import_statement(edition, upload("releve-fevrier.csv"), None)
    assert known.value.statement == first
    # The next export overlaps: two lines known, one new.
    content = (FIXTURES / "releve-fevrier.csv").read_bytes().decode("cp1252").splitlines()
    overlap = "\r\n".join(
        [*content[3:5], *content[6:7], '10/02/2027;"VIR SEPA F2027-00003";;1 234,50;']
    ).encode("cp1252")
    second = statements.import_statement(
        edition, SimpleUploadedFile("mars.csv", overlap), None
    )  # fmt: skip
    assert (second.lines.count(), second.known) == (1, 2)
    assert StatementLine.objects.count() == 5
    with pytest.raises(statements.AlreadyImported) as known:  # nothing new at all
        statements.import_statement(
            edition, SimpleUploadedFile("again.csv", b"\xef\xbb\xbf" + overlap), None
        )
    assert known.value.statement is None


@pytest.mark.django_db
def test_a_camt053_statement_matches_and_its_lines_are_known_by_their_reference(invoices):
    edition = invoices[0].edition
    statement = statements.import_statement(edition, upload("camt053.xml"), None)
    assert shown(statement) == [("F2027-00001", "strong", False),
                                ("F2027-00002", "strong", False)]  # fmt: skip
    assert statement.debits == 2  # one debit, one pending
    # The same entries in another file (another export of the same days): nothing new.
    copy = (FIXTURES / "camt053.xml").read_bytes().replace(b"STMT-2027-02-28", b"STMT-BIS")
    with pytest.raises(statements.AlreadyImported):
        statements.import_statement(edition, SimpleUploadedFile("bis.xml", copy), None)


# The pages -----------------------------------------------------------------------------------


@pytest.fixture
def organiser(db):
    return User.objects.create_superuser("olga", "olga@example.org", "pw")


@pytest.mark.django_db
def test_an_organiser_imports_a_statement_and_confirms_the_ticked_lines(client, organiser,
                                                                         invoices):  # fmt: skip
    edition = invoices[0].edition
    client.force_login(organiser)
    base = f"/en/organiser/{edition.number}/invoices/statements/"
    response = client.post(base, {"file": upload("camt053.xml")})
    statement = BankStatement.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{statement.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert page.count(" checked") == 2  # both strong proposals are ticked
    lines = list(statement.lines.all())
    response = client.post(base + f"{statement.pk}/", {
        "line": [line.pk for line in lines],
        **{f"invoice_{line.pk}": number for line, number in
           zip(lines, ["F2027-00001", "F2027-00002"], strict=True)},
    })  # fmt: skip
    assert response.status_code == 302
    assert Payment.objects.count() == 2
    assert "2 payments recorded." in client.get(response["Location"]).content.decode()
    response = client.post(base, {"file": upload("camt053.xml")})  # the same file again
    assert response["Location"].endswith(f"/{statement.pk}/")
    assert BankStatement.objects.count() == 1


@pytest.mark.django_db
def test_a_line_that_cannot_be_recorded_is_said_next_to_it(client, organiser, invoices):
    edition = invoices[0].edition
    client.force_login(organiser)
    statement = statements.import_statement(edition, upload("releve-fevrier.csv"), None)
    line = statement.lines.get(amount_cents=123450)
    url = f"/en/organiser/{edition.number}/invoices/statements/{statement.pk}/"
    response = client.post(url, {"only": line.pk, f"invoice_{line.pk}": "F2027-00002"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "more than the €300.00 still due" in page
    assert f"payment/?line={line.pk}" in page  # recorded from the invoice's page, confirmed
    assert not Payment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name, content", [
    ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00"), ("releve.csv", b""),
    ("releve.xml", b"<?xml version='1.0'?><Document><Foo/></Document>"),
    ("releve.csv", "Date;Libellé;Montant\n05/02/2027;X;abc\n".encode("cp1252")),
])  # fmt: skip
def test_a_bad_file_gets_a_message_next_to_the_field(client, organiser, invoices, name, content):
    client.force_login(organiser)
    url = f"/en/organiser/{invoices[0].edition.number}/invoices/statements/"
    response = client.post(url, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not BankStatement.objects.exists()


@pytest.mark.django_db
def test_a_payment_from_a_statement_line_is_tied_to_it(client, organiser, invoices):
    """The organiser confirms an overpayment from the invoice's page, opened from the line."""
    edition = invoices[1].edition
    client.force_login(organiser)
    statement = statements.import_statement(edition, upload("releve-fevrier.csv"), None)
    line = statement.lines.get(amount_cents=123450)
    url = f"/en/organiser/{edition.number}/invoices/{invoices[1].pk}/payment/?line={line.pk}"
    form = client.get(url).context["form"]
    assert (form["amount"].value(), form.initial["received_on"]) == (
        "1234.50", datetime.date(2027, 2, 8),
    )  # fmt: skip
    data = {"amount": "1234.50", "method": "transfer", "received_on": "2026-11-20",
            "line": line.pk, "overpayment": "on", "nonce": form.initial["nonce"]}  # fmt: skip
    # Another amount than the line's would use the line up for less (or more) than it holds.
    refused = client.post(url, {**data, "amount": "10.00"})
    assert "A payment from a bank statement line is the line" in refused.content.decode()
    assert not Payment.objects.exists()
    assert client.post(url, data).status_code == 302
    assert Payment.objects.get().statement_line == line
    assert shown(statement)[2] == ("F2027-00002", "", True)


@pytest.mark.django_db
def test_old_statements_go_with_the_invoices_they_paid():
    edition = edition_with_invoiced_category()
    statement = BankStatement.objects.create(edition=edition, file_name="old.csv",
                                             file_format="csv", digest="a" * 64)  # fmt: skip
    BankStatement.objects.filter(pk=statement.pk).update(
        uploaded_at=datetime.datetime(2015, 3, 1, tzinfo=datetime.UTC)
    )
    assert services.delete_past_retention(datetime.date(2026, 6, 1)) == 0
    assert not BankStatement.objects.exists()
