"""Reading bank statement files into entries (date, amount in cents, label, the bank's
reference): CSV as French banks export it (semicolons, comma decimals, dd/mm/yyyy dates,
"Date;Libellé;Débit;Crédit" or "Date opération;Libellé;Montant" and their variants, UTF-8
with or without a BOM, or Windows' latin-1), and ISO 20022 camt.053 XML (any version: the
namespace is ignored), read through defusedxml (no DTD, no entity). Nothing here touches the
database; a file that cannot be read raises BankFileError with a sentence for the person."""

import csv
import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from rencontres.forms import simplified, single_line

MAX_BYTES = 5 * 1024 * 1024
MAX_ENTRIES = 20_000
MAX_LABEL = 500
HEADER_ROWS = 30  # banks put the account and the period above the header


class BankFileError(ValueError):
    """The file as a whole cannot be read; the message says why, for the person."""


@dataclass(frozen=True)
class Entry:
    booked_on: datetime.date
    amount_cents: int  # positive: money received; negative: money paid out
    currency: str
    label: str
    bank_reference: str = ""


@dataclass
class Statement:
    file_format: str  # "csv" or "camt053"
    entries: list
    left_out: int = 0  # camt.053 entries not booked yet


def read(content, name=""):
    """The statement in `content` (bytes), CSV or camt.053, whichever it is."""
    if len(content) > MAX_BYTES:
        raise BankFileError(_("The file is larger than 5 MB."))
    start = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if not start:
        raise BankFileError(_("The file is empty."))
    if start == b"<" or name.lower().endswith(".xml"):
        return read_camt(content)
    return Statement("csv", read_csv(content))


# CSV ---------------------------------------------------------------------------------------

# Column names, simplified (rencontres.forms.simplified, "eur"/"euros" words dropped).
DATES = [
    "date operation", "date d operation", "date de l operation", "date de operation", "date op",
    "dateop", "date comptable", "date de comptabilisation", "date compta", "booking date",
    "date", "date valeur", "date de valeur", "dateval", "value date",
]  # fmt: skip
LABELS = {
    "libelle", "libelle operation", "libelle de l operation", "libelle court", "libelle long",
    "libelle complet", "libelle simplifie", "label", "description", "intitule",
    "nature de l operation", "operation",
}  # fmt: skip
DETAILS = {
    "detail", "details", "detail de l ecriture", "informations complementaires",
    "info complementaire", "complement", "motif", "reference client", "remittance",
}  # fmt: skip
AMOUNTS = {"montant", "montant de l operation", "amount", "somme"}
DEBITS = {"debit", "montant debit", "debits"}
CREDITS = {"credit", "montant credit", "credits"}
CURRENCIES = {"devise", "currency", "monnaie"}
REFERENCES = {"reference", "reference de l operation", "reference banque", "numero d operation",
              "n d operation", "n operation", "reference operation", "id"}  # fmt: skip
UNIT_WORDS = {"eur", "euro", "euros", "en", "e"}


def column_name(cell):
    words = simplified(cell).split()
    while words and words[-1] in UNIT_WORDS:  # "Montant (EUR)", "Débit euros", "Crédit en €"
        words.pop()
    return " ".join(words)


def decode(content):
    content = content.replace(b"\x00", b"").removeprefix(b"\xef\xbb\xbf")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        # What Excel and most French banks write on Windows (latin-1 with the euro sign).
        return content.decode("cp1252", errors="replace")


def find_columns(row):
    """{what: column index} when `row` is a statement's header, else None."""
    names = [column_name(cell) for cell in row]
    found, details, labels = {}, [], []
    for index, name in enumerate(names):
        if name in LABELS:
            labels.append(index)
        elif name in DETAILS:
            details.append(index)
        for key, known in (("amount", AMOUNTS), ("debit", DEBITS), ("credit", CREDITS),
                           ("currency", CURRENCIES), ("reference", REFERENCES)):  # fmt: skip
            if name in known and key not in found:
                found[key] = index
    dates = [name for name in DATES if name in names]
    if not dates or not ("amount" in found or "credit" in found):
        return None
    found["date"] = names.index(dates[0])  # the operation's date before the value date
    found["labels"] = labels + details
    return found


def read_csv(content):
    text = decode(content)
    for delimiter in (";", "\t", ","):
        try:
            rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        except csv.Error:
            continue
        for number, row in enumerate(rows[:HEADER_ROWS]):
            columns = find_columns(row)
            if columns:
                return csv_entries(rows[number + 1 :], columns, first_line=number + 2)
    raise BankFileError(
        _("This file is not a bank statement we can read: it needs a header row with a date, "
          "a label and an amount (or debit and credit) column, such as Date, Libellé, Débit "
          "and Crédit, or a camt.053 XML file.")
    )  # fmt: skip


def csv_entries(rows, columns, first_line):
    entries, problems = [], []
    for line, row in enumerate(rows, start=first_line):

        def cell(key, row=row):
            index = columns.get(key)
            return row[index].strip() if index is not None and index < len(row) else ""

        booked_on = parse_date(cell("date"))
        if booked_on is None:  # a balance, a total, a blank line: not an operation
            continue
        try:
            if "amount" in columns:
                amount = parse_amount(cell("amount"))
            else:
                credit, debit = parse_amount(cell("credit")), parse_amount(cell("debit"))
                amount = (credit or 0) - abs(debit or 0) if credit or debit else None
        except InvalidOperation:
            problems.append(line)
            continue
        if not amount:
            continue
        label = " ".join(row[index] for index in columns["labels"] if index < len(row))
        entries.append(Entry(
            booked_on, amount, (cell("currency") or "EUR").upper()[:3],
            single_line(label)[:MAX_LABEL], single_line(cell("reference"))[:100],
        ))  # fmt: skip
        if len(entries) > MAX_ENTRIES:
            raise too_many()
    if problems:
        shown = ", ".join(str(line) for line in problems[:5])
        raise BankFileError(
            _("The amount cannot be read on line %(lines)s of the file: nothing was imported.")
            % {"lines": shown}
        )
    return entries


def too_many():
    return BankFileError(
        _("The file has more than %(max)s operations: export a shorter period.")
        % {"max": MAX_ENTRIES}
    )


DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d-%m-%y"]


def parse_date(text):
    text = text.strip()[:10] if re.match(r"\d{4}-\d\d-\d\d", text.strip()) else text.strip()
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_amount(text):
    """Integer cents from an amount as banks write it: "1 234,56", "-1.234,56", "+150,00 €",
    "150.5"; None when empty; InvalidOperation when it is not an amount."""
    cleaned = re.sub(r"[\s\u00a0\u202f'€]|EUR", "", text or "", flags=re.IGNORECASE)
    if not cleaned:
        return None
    negative = cleaned.startswith("-") or (cleaned.startswith("(") and cleaned.endswith(")"))
    cleaned = cleaned.strip("+-()")
    if not re.fullmatch(r"[0-9]+([.,][0-9]+)*", cleaned):
        raise InvalidOperation(text)
    last = max(cleaned.rfind(","), cleaned.rfind("."))
    whole, decimals = (cleaned[:last], cleaned[last + 1 :]) if last >= 0 else (cleaned, "")
    if "." in cleaned and "," not in cleaned and len(decimals) == 3 and cleaned.count(".") >= 1:
        whole, decimals = cleaned, ""  # "1.234": a thousands separator
    whole = re.sub(r"[.,]", "", whole)
    if len(decimals) > 2 or len(whole) > 12:
        raise InvalidOperation(text)
    cents = int(whole or "0") * 100 + int((decimals + "00")[:2])
    return -cents if negative else cents


# camt.053 ------------------------------------------------------------------------------------


def local(element):
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def child(element, *path):
    """The first element down `path` (local names), or None."""
    for name in path:
        if element is None:
            return None
        element = next((item for item in element if local(item) == name), None)
    return element


def first(*elements):
    """The first element that is there (an element without children is false: no `or`)."""
    return next((element for element in elements if element is not None), None)


def children(element, name):
    return [item for item in element if local(item) == name] if element is not None else []


def text_of(element, *path):
    found = child(element, *path)
    return (found.text or "").strip() if found is not None else ""


def read_camt(content):
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(content, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise BankFileError(_("This file is not an XML file we can read.")) from error
    report = child(root, "BkToCstmrStmt")
    if local(root) != "Document" or report is None:
        raise BankFileError(_("This XML file is not an ISO 20022 camt.053 bank statement."))
    entries, left_out = [], 0
    for statement in children(report, "Stmt"):
        for entry in children(statement, "Ntry"):
            status = text_of(entry, "Sts", "Cd") or text_of(entry, "Sts")
            if status and status.upper() != "BOOK":
                left_out += 1  # pending or information only: not money on the account yet
                continue
            entries.extend(camt_entries(entry))
            if len(entries) > MAX_ENTRIES:
                raise too_many()
    return Statement("camt053", entries, left_out)


def camt_entries(entry):
    """The entries of one Ntry: one per transaction of a batch that gives each its amount,
    otherwise one for the whole Ntry."""
    sign = -1 if text_of(entry, "CdtDbtInd") == "DBIT" else 1
    booked_on = camt_date(child(entry, "BookgDt")) or camt_date(child(entry, "ValDt"))
    if booked_on is None:
        raise BankFileError(_("An entry of this camt.053 file has no booking date."))
    reference = text_of(entry, "AcctSvcrRef")
    details = [tx for block in children(entry, "NtryDtls") for tx in children(block, "TxDtls")]
    amounts = [first(child(tx, "AmtDtls", "TxAmt", "Amt"), child(tx, "Amt")) for tx in details]
    if len(details) > 1 and all(amount is not None for amount in amounts):
        found = []
        for number, (tx, amount) in enumerate(zip(details, amounts, strict=True), start=1):
            tx_sign = -1 if text_of(tx, "CdtDbtInd") == "DBIT" else sign
            tx_reference = text_of(tx, "Refs", "AcctSvcrRef") or (
                f"{reference}/{number}" if reference else ""
            )
            found.append(camt_entry(booked_on, amount, tx_sign, [tx], tx_reference))
        return found
    amount = child(entry, "Amt")
    if amount is None:
        raise BankFileError(_("An entry of this camt.053 file has no amount."))
    reference = reference or (text_of(details[0], "Refs", "AcctSvcrRef") if details else "")
    label = [text_of(entry, "AddtlNtryInf")]
    return [camt_entry(booked_on, amount, sign, details, reference, label)]


def camt_entry(booked_on, amount, sign, transactions, reference, extra=()):
    try:
        value = Decimal((amount.text or "").strip())
    except InvalidOperation:
        value = None
    bad = value is None or not value.is_finite() or not 0 <= value < 10**10
    if bad or value.scaleb(2) % 1:
        raise BankFileError(
            _("An amount of this camt.053 file cannot be read: %(value)s")
            % {"value": single_line(amount.text or "")[:30]}
        )
    words = []
    for tx in transactions:
        remittance = child(tx, "RmtInf")
        words += [item.text or "" for item in children(remittance, "Ustrd")]
        for structured in children(remittance, "Strd"):
            words.append(text_of(structured, "CdtrRefInf", "Ref"))
        # The payer's name (camt.053.001.08 puts it one level down, in Pty).
        words.append(
            text_of(tx, "RltdPties", "Dbtr", "Nm") or text_of(tx, "RltdPties", "Dbtr", "Pty", "Nm")
        )
    label = single_line(" ".join(word for word in [*words, *extra] if word))[:MAX_LABEL]
    currency = (amount.get("Ccy") or "EUR").upper()[:3]
    return Entry(booked_on, sign * int(value.scaleb(2)), currency, label, reference[:100])


def camt_date(element):
    if element is None:
        return None
    text = text_of(element, "Dt") or text_of(element, "DtTm")[:10]
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None
