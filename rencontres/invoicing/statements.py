"""Bank statements: a file imported (bank_files reads it) is stored with its credit lines, each
line once per edition whatever the file it comes in; matches are proposed from what is due
now; an organiser confirms them, which records the payments (payments.record_payment).

A match is proposed when the invoice's number is in the transfer's label (F2027-00012, also
written F202700012, F 2027 00012, ...) and the amount is what remains due: a strong proposal,
ticked on the page. The number alone, or the amount alone when exactly one open invoice of
the edition is due that much, makes a weak proposal, shown but not ticked."""

import hashlib
import re
from collections import Counter
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from . import bank_files, selectors
from .models import BankStatement, Invoice, Payment, StatementLine
from .payments import CannotRecord, record_payment

# An invoice's number as people type it into a transfer's label: F, the year, the sequence,
# with or without a dash, spaces or a slash between them.
NUMBER = re.compile(r"(?<![A-Z0-9])F\s?[-/ ]?\s?(20\d\d)\s?[-/ ]?\s?(\d{5})(?!\d)")

STRONG, WEAK = "strong", "weak"


def numbers_in(text):
    """The invoice numbers found in `text`, written as we write them ("F2027-00012")."""
    found = []
    for year, sequence in NUMBER.findall(str(text or "").upper()):
        number = f"F{year}-{sequence}"
        if number not in found:
            found.append(number)
    return found


class AlreadyImported(Exception):
    """The same file was imported before (`statement`), or holds no line not already known."""

    def __init__(self, statement=None):
        super().__init__("already imported")
        self.statement = statement


def fingerprint(entry, occurrence):
    """What identifies a line in any file of the same account: the bank's own reference, or
    its date, amount and label (and, for identical lines of one file, which one it is)."""
    if entry.bank_reference:  # with its date and amount: a "reference" column is not always unique
        key = (f"ref|{entry.bank_reference}|{entry.booked_on.isoformat()}|{entry.amount_cents}"
               f"|{occurrence}")  # fmt: skip
    else:
        label = " ".join(entry.label.upper().split())
        key = f"line|{entry.booked_on.isoformat()}|{entry.amount_cents}|{label}|{occurrence}"
    return hashlib.sha256(key.encode()).hexdigest()


def import_statement(edition, upload, actor):
    """Read `upload` and store its new credit lines. Raises bank_files.BankFileError for a
    file that cannot be read, AlreadyImported for one seen before or with nothing new."""
    content = upload.read(bank_files.MAX_BYTES + 1)
    digest = hashlib.sha256(content).hexdigest()
    earlier = BankStatement.objects.filter(edition=edition, digest=digest).first()
    if earlier:
        raise AlreadyImported(earlier)
    statement = bank_files.read(content, upload.name or "")
    credits = [entry for entry in statement.entries if entry.amount_cents > 0]
    seen = Counter()
    prints = []
    for entry in credits:
        label = " ".join(entry.label.upper().split())
        key = (entry.bank_reference, entry.booked_on, entry.amount_cents,
               "" if entry.bank_reference else label)  # fmt: skip
        seen[key] += 1
        prints.append(fingerprint(entry, seen[key]))
    known = set(
        StatementLine.objects.filter(edition=edition, fingerprint__in=prints).values_list(
            "fingerprint", flat=True
        )
    )
    new = [(entry, key) for entry, key in zip(credits, prints, strict=True) if key not in known]
    if not new:
        raise AlreadyImported()
    try:
        with transaction.atomic():
            record = BankStatement.objects.create(
                edition=edition, file_name=(upload.name or "statement")[-200:],
                file_format=statement.file_format, digest=digest, uploaded_by=actor,
                debits=len(statement.entries) - len(credits) + statement.left_out,
                known=len(credits) - len(new),
            )  # fmt: skip
            StatementLine.objects.bulk_create(
                StatementLine(
                    statement=record, edition=edition, position=position,
                    booked_on=entry.booked_on, amount_cents=entry.amount_cents,
                    currency=entry.currency, label=entry.label,
                    bank_reference=entry.bank_reference, fingerprint=key,
                )
                for position, (entry, key) in enumerate(new, start=1)
            )  # fmt: skip
    except IntegrityError:  # the same file, or its lines, imported at this very moment
        raise AlreadyImported(
            BankStatement.objects.filter(edition=edition, digest=digest).first()
        ) from None
    return record


@dataclass
class Row:
    """A line of a statement as the page shows it: its payment when recorded, else the
    proposal (an invoice and how sure), and the invoice its label names that is not open."""

    line: StatementLine
    payment: Payment | None = None
    invoice: Invoice | None = None
    strength: str = ""
    closed: Invoice | None = None  # named in the label, but nothing is due on it


def rows(statement):
    """The statement's lines with what was recorded, and proposals for the others from what
    is due now on the edition's invoices."""
    lines = list(statement.lines.prefetch_related("payments__invoice"))
    invoices = list(selectors.with_credit_notes(Invoice.objects.filter(edition=statement.edition)))
    by_number = {invoice.number: invoice for invoice in invoices}
    open_by_due = {}
    for invoice in invoices:
        if invoice.is_open:
            open_by_due.setdefault((invoice.due_cents, invoice.currency), []).append(invoice)
    found = []
    for line in lines:
        payment = next((p for p in line.payments.all() if p.counts), None)
        if payment:
            found.append(Row(line, payment=payment, invoice=payment.invoice))
            continue
        found.append(proposal(line, by_number, open_by_due))
    return found


def proposal(line, by_number, open_by_due):
    named = [by_number[number] for number in numbers_in(line.label) if number in by_number]
    due = lambda invoice: invoice.due_cents == line.amount_cents  # noqa: E731
    usable = [invoice for invoice in named if invoice.is_open and invoice.currency == line.currency]
    for invoice in usable:
        if due(invoice):
            return Row(line, invoice=invoice, strength=STRONG)
    if usable:
        return Row(line, invoice=usable[0], strength=WEAK)
    closed = named[0] if named else None
    same_amount = open_by_due.get((line.amount_cents, line.currency), [])
    if not named and len(same_amount) == 1:
        return Row(line, invoice=same_amount[0], strength=WEAK)
    return Row(line, closed=closed)


@dataclass
class Outcome:
    recorded: list  # payments
    problems: dict  # {line id: (reason code, invoice, due cents)}


def confirm(statement, choices, actor):
    """Record the payments an organiser confirmed: `choices` is {line id: invoice number}.
    A line already recorded is skipped (a form sent twice records nothing twice); a line
    that cannot be recorded is left, with why, in `problems`."""
    lines = {line.pk: line for line in statement.lines.filter(pk__in=list(choices))}
    invoices = {
        invoice.number: invoice
        for invoice in Invoice.objects.filter(
            edition=statement.edition,
            number__in=[found for text in choices.values() for found in numbers_in(text)],
        )
    }
    outcome = Outcome([], {})
    for pk, text in choices.items():
        line = lines.get(pk)
        if line is None:
            continue
        numbers = numbers_in(text)
        invoice = invoices.get(numbers[0]) if numbers else None
        if invoice is None:
            outcome.problems[pk] = ("unknown_invoice", None, 0)
            continue
        try:
            payment = record_payment(
                invoice, amount_cents=line.amount_cents, method=Payment.Method.TRANSFER,
                received_on=line.booked_on, actor=actor, statement_line=line,
                reference=(line.bank_reference or line.label)[:200],
            )  # fmt: skip
        except CannotRecord as problem:
            if problem.reason != "line_used":  # recorded already: nothing more to do
                outcome.problems[pk] = (problem.reason, invoice, problem.due_cents)
            continue
        outcome.recorded.append(payment)
    return outcome


def delete_past_retention(cutoff, dry_run=False):
    """Delete the statements imported before `cutoff` none of whose lines pays an invoice
    still kept (their payments went with their invoices). Returns how many."""
    old = BankStatement.objects.filter(uploaded_at__date__lt=cutoff).exclude(
        lines__payments__isnull=False
    )
    count = old.count()
    if count and not dry_run:
        old.delete()
    return count
