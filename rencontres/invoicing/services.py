"""Who pays, and issuing: a registrant's payer saved, an invoice or a credit note issued with
its number, its lines and its Factur-X PDF in one transaction, and the background run that
issues the invoices of many registrations at once. Views, the batch, the bench and the
admin all call these functions.

Numbers: one sequence per series (F: invoices, A: credit notes) and year, its row locked with
select_for_update (SQLite: the immediate transaction locks the database) in the transaction
that stores the document. A document that fails (its PDF, its XML, the database) rolls its
number back with it: no gap, and no number given twice.

Lines come from the fee grid's quote of each registration (`lines_for`), or from the caller
when organisers type them; an invoice is issued when an organiser asks (one, or a batch), or
on confirmation for the categories that say so (`issue_on_confirmation`)."""

import datetime
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rencontres import background
from rencontres.fees import pricing
from rencontres.registration.models import Registration
from rencontres.registration.services import log

from . import documents, selectors
from .lines import InvalidLines, LineItem, as_items, excluding_vat, totals, vat_of
from .models import (
    CreditNote,
    CreditNoteLine,
    Invoice,
    InvoicedRegistration,
    InvoiceLine,
    InvoiceRun,
    Payer,
    Sequence,
)
from .seller import seller_snapshot

logger = logging.getLogger(__name__)

PAYER_FIELDS = [
    "kind", "covers_delegation", "name", "address", "postcode", "city", "country", "email",
    "public_body", "siret", "service_code", "commitment_required", "commitment_number",
    "vat_number", "language",
]  # fmt: skip


class CannotInvoice(Exception):
    """What keeps an invoice from being issued, in words the organiser can act on."""


# Payers -----------------------------------------------------------------------------------


def save_payer(registration, data, actor=None):
    """Create or change the registration's payer from `data` (a PayerForm's cleaned data);
    the history says which fields changed, not their values."""
    with transaction.atomic():
        payer = Payer.objects.select_for_update().filter(registration=registration).first()
        created = payer is None
        payer = payer or Payer(registration=registration)
        changed = []
        for field in PAYER_FIELDS:
            if field in data and getattr(payer, field) != data[field]:
                setattr(payer, field, data[field])
                changed.append(field)
        if created or changed:
            payer.full_clean(exclude=["registration"])
            payer.save()
            log(registration, "payer_changed", actor=actor, changes=dict.fromkeys(changed, ""))
    return payer


def payer_problems(payer):
    """Why this payer cannot be invoiced yet (empty: it can)."""
    from .identifiers import siret_problem

    found = []
    if not (payer.name and payer.address and payer.city and payer.country):
        found.append("name and address")
    if payer.public_body and str(payer.country) != "FR":
        found.append("a French public body is in France")
    if payer.is_organisation and str(payer.country) == "FR" and siret_problem(payer.siret):
        found.append("SIRET")
    if payer.commitment_required and not payer.commitment_number:
        found.append("commitment number")
    return found


def buyer_fields(payer):
    """The invoice's own copy of the buyer."""
    return {
        "payer": payer, "language": payer.language, "buyer_kind": payer.kind,
        "buyer_name": payer.name, "buyer_address": payer.address,
        "buyer_postcode": payer.postcode, "buyer_city": payer.city,
        "buyer_country": payer.country, "buyer_email": payer.email,
        "buyer_public_body": payer.public_body, "buyer_siret": payer.siret,
        "buyer_vat_number": payer.vat_number, "service_code": payer.service_code,
        "commitment_number": payer.commitment_number,
    }  # fmt: skip


# Numbers ----------------------------------------------------------------------------------


def next_number(series, year):
    """The next number of `series` in `year`, its counter locked until the transaction ends
    (call inside one)."""
    counter = Sequence.objects.select_for_update().filter(series=series, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                Sequence.objects.create(series=series, year=year)
        except IntegrityError:  # created by another transaction meanwhile
            pass
        counter = Sequence.objects.select_for_update().get(series=series, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def numbered(document, issued_on):
    document.year = issued_on.year
    document.sequence = next_number(document.SERIES, issued_on.year)
    document.number = f"{document.SERIES}{document.year}-{document.sequence:05d}"
    document.issued_on = issued_on


def store(document, items, edition, line_model, owner, people):
    """Draw the document's Factur-X file, then save the row, its lines and the file together
    (a failure leaves none of them).

    The file is drawn inside the transaction that holds the number's lock, on purpose: the
    PDF and its XML print the number, so it is known only once the counter is locked; and
    numbering and storing the row first, to draw the file after the commit, would leave an
    issued invoice without its file whenever drawing fails (a font, the XSD, the disk), which
    can then be neither deleted (a gap in the numbers) nor completed (an issued invoice never
    changes). So the lock is held for one drawing (a few milliseconds: styles, parsed
    paragraphs and the XSD are made once per process, the XML is embedded in memory)."""
    content = documents.render(document, items, edition, people)
    document.file.save(document.file_name, ContentFile(content), save=False)
    try:
        document.save()
        line_model.objects.bulk_create(
            line_model(
                **{owner: document}, position=position, code=item.code,
                label_fr=item.label_fr, label_en=item.label_en, quantity=item.quantity,
                unit_cents=item.unit_cents, vat_rate_bp=item.vat_rate_bp,
                total_cents=item.total_cents,
            )
            for position, item in enumerate(items, start=1)
        )  # fmt: skip
    except BaseException:
        document.file.delete(save=False)
        raise


def already(model, nonce):
    return model.objects.filter(nonce=nonce).first() if nonce else None


def checked_lines(lines, seller):
    items = as_items(lines)
    if not seller["vat_number"] and any(item.vat_rate_bp for item in items):
        raise InvalidLines("the seller has no VAT number: it charges no VAT")
    return items


# Invoices ---------------------------------------------------------------------------------


def issue_invoice(edition, payer, registrations, lines, *, actor, nonce=None, today=None):
    """Issue one invoice to `payer` for `registrations` (of `edition`), billing `lines`
    (objects with the attributes of lines.Line). Returns the invoice; the same `nonce` (a
    form sent twice) returns the first one instead of a second."""
    found = already(Invoice, nonce)
    if found:
        return found
    registrations = list(registrations)
    if not registrations:
        raise CannotInvoice("no registration to invoice")
    if any(r.edition_id != edition.pk for r in registrations):
        raise CannotInvoice("a registration of another edition")
    if any(r.status == Registration.Status.AWAITING_CONFIRMATION for r in registrations):
        raise CannotInvoice("a registration whose address is not confirmed yet")
    problems = payer_problems(payer)
    if problems:
        raise CannotInvoice(f"the payer's details are incomplete: {', '.join(problems)}")
    seller = seller_snapshot()
    items = checked_lines(lines, seller)
    sums = totals(items)
    if sums.gross_cents < 0:
        raise InvalidLines("an invoice's total cannot be negative: issue a credit note")
    issued_on = today or timezone.localdate()
    try:
        with transaction.atomic():
            invoice = Invoice(
                edition=edition, issued_by=actor, currency=seller_currency(),
                net_cents=sums.net_cents, vat_cents=sums.vat_cents,
                gross_cents=sums.gross_cents, seller=seller, nonce=nonce,
                **buyer_fields(payer),
            )  # fmt: skip
            numbered(invoice, issued_on)
            invoice.due_on = due_date(edition, payer, registrations, issued_on,
                                      seller["payment_terms_days"])  # fmt: skip
            store(invoice, items, edition, InvoiceLine, "invoice", registrations)
            InvoicedRegistration.objects.bulk_create(
                InvoicedRegistration(invoice=invoice, registration=r) for r in registrations
            )
            for registration in registrations:
                log(registration, "invoiced", actor=actor, invoice=invoice.number)
    except IntegrityError:
        found = already(Invoice, nonce)
        if found:  # the same form, sent twice at once
            return found
        raise
    return invoice


def pays_before_the_event(payer, registrations):
    """Whether the invoice is to be paid before the event: a payer other than a French public
    body (which pays after the service is done), for a category that asks for it."""
    return not payer.public_body and any(
        registration.category.payment_before_event for registration in registrations
    )


def due_date(edition, payer, registrations, issued_on, terms_days):
    """The payment terms from the day of issue; paid before the event, the day before it opens
    at the latest (the day of issue, once that day has passed)."""
    due = issued_on + datetime.timedelta(days=terms_days)
    if pays_before_the_event(payer, registrations):
        due = max(issued_on, min(due, edition.starts_on - datetime.timedelta(days=1)))
    return due


def seller_currency():
    from django.conf import settings

    return settings.INVOICING["CURRENCY"]


def credited_by_rate(invoice):
    """{rate: base credited so far} over the invoice's credit notes."""
    found = {}
    for line in CreditNoteLine.objects.filter(credit_note__invoice=invoice):
        found[line.vat_rate_bp] = found.get(line.vat_rate_bp, 0) + line.total_cents
    return found


def issue_credit_note(invoice, *, actor, reason, lines=None, nonce=None, today=None):
    """Take back all of `invoice` (no `lines`) or the `lines` given, with a reason. A credit
    note never takes back more than the invoice still bills at each VAT rate."""
    found = already(CreditNote, nonce)
    if found:
        return found
    reason = " ".join(str(reason or "").split())[:300]
    if not reason:
        raise InvalidLines("a credit note says why")
    try:
        with transaction.atomic():
            # One credit note at a time per invoice, so that two never take back the same.
            invoice = (
                Invoice.objects.select_for_update().select_related("edition").get(pk=invoice.pk)
            )
            already_credited = credited_by_rate(invoice)
            if lines is None:
                items = invoice.lines_as_items()
                if already_credited:  # what remains, per rate
                    items = remaining_items(invoice, already_credited)
            else:
                items = checked_lines(lines, invoice.seller)
            sums = totals(items)
            billed = {rate: base for rate, base, _vat in totals(invoice.lines_as_items()).by_rate}
            for rate, base, _vat in sums.by_rate:
                if base + already_credited.get(rate, 0) > billed.get(rate, 0):
                    raise InvalidLines("a credit note cannot take back more than was invoiced")
            if sums.gross_cents <= 0:
                raise InvalidLines("nothing left to take back on this invoice")
            note = CreditNote(
                edition=invoice.edition, invoice=invoice, reason=reason, issued_by=actor,
                currency=invoice.currency, net_cents=sums.net_cents, vat_cents=sums.vat_cents,
                gross_cents=sums.gross_cents, nonce=nonce,
            )  # fmt: skip
            numbered(note, today or timezone.localdate())
            people = list(invoice.registrations.order_by("pk"))
            store(note, items, invoice.edition, CreditNoteLine, "credit_note", people)
            for registration in people:
                log(registration, "credit_note_issued", actor=actor, credit_note=note.number,
                    invoice=invoice.number)  # fmt: skip
    except IntegrityError:
        found = already(CreditNote, nonce)
        if found:
            return found
        raise
    return note


def remaining_items(invoice, credited):
    """What a full credit note takes back once part of the invoice was: per VAT rate, one line
    for what is left of it."""
    items = []
    for rate, base, _vat in totals(invoice.lines_as_items()).by_rate:
        left = base - credited.get(rate, 0)
        if left > 0:
            fr, en = f"Solde de la facture {invoice.number}", f"Balance of invoice {invoice.number}"
            items.append(LineItem("REST", fr, en, 1, left, rate))
    return items


def replace_invoice(invoice, payer, lines, *, actor, reason, today=None):
    """A change: the invoice is taken back whole by a credit note, and a new one issued (to
    the payer as it is now, with `lines`), in one transaction."""
    with transaction.atomic():
        note = issue_credit_note(invoice, actor=actor, reason=reason, today=today)
        registrations = list(invoice.registrations.all())
        new = issue_invoice(invoice.edition, payer, registrations, lines, actor=actor,
                            today=today)  # fmt: skip
    return note, new


# The batch --------------------------------------------------------------------------------


def lines_for(registration, typed=()):
    """What one registration is billed: the lines the organiser typed for each person, or,
    without any, what the fee grid says it owes (quoted_lines)."""
    if typed:
        return [LineItem(**line) for line in typed]
    return quoted_lines([registration])


def quoted_lines(registrations):
    """What the fee grid says `registrations` owe (fees.pricing.quote), merged, as an invoice
    bills it: each line without its VAT, and per VAT rate a rounding line of a cent or two
    where needed, so that the invoice's total is the price the payers were told (EN 16931
    adds the VAT per rate on the base: base + VAT must come back to what was quoted)."""
    quotes = [pricing.quote(person) for person in registrations]
    if any(quote.lines and quote.currency != seller_currency() for quote in quotes):
        raise CannotInvoice("the fee grid's currency is not the one the invoices are in")
    quoted = merged(line for quote in quotes for line in quote.lines)
    items = [excluding_vat(line) for line in quoted]
    for rate in sorted({line.vat_rate_bp for line in quoted if line.vat_rate_bp}):
        told = sum(line.total_cents for line in quoted if line.vat_rate_bp == rate)
        base = sum(item.total_cents for item in items if item.vat_rate_bp == rate)
        # The base whose VAT brings it back to what was told (the nearest where none does).
        right = min(range(base - 3, base + 4),
                    key=lambda b: (abs(b + vat_of(b, rate) - told), abs(b - base)))  # fmt: skip
        if right != base:
            label_fr, label_en = pricing.both_languages(lambda: _("Rounding"))
            items.append(LineItem("rounding", label_fr, label_en, 1, right - base, rate))
    return items


def merged(lines):
    """Lines that bill the same thing at the same price, added up into one."""
    found = {}
    for line in lines:
        key = (line.code, line.label_fr, line.label_en, line.unit_cents, line.vat_rate_bp)
        found[key] = found.get(key, 0) + line.quantity
    return [LineItem(code, fr, en, quantity, unit, rate)
            for (code, fr, en, unit, rate), quantity in found.items()]  # fmt: skip


def to_invoice(edition, categories=()):
    """The confirmed registrations of `edition` (in `categories`, of those invoiced) that no
    open invoice bills yet."""
    people = Registration.objects.filter(
        edition=edition, status=Registration.Status.CONFIRMED, category__invoiced=True
    ).exclude(selectors.invoiced())
    if categories:
        people = people.filter(category__in=categories)
    return people.select_related("delegation").order_by("pk")


def start_run(edition, user, categories, lines):
    run = InvoiceRun.objects.create(
        edition=edition, created_by=user, categories=[c.pk for c in categories],
        lines=[line.__dict__ if hasattr(line, "__dict__") else dict(line) for line in lines],
    )  # fmt: skip
    background.enqueue_on_commit("rencontres.invoicing.tasks.issue_invoices", run.pk)
    return run


def execute_run(run):
    """The run's work: the registrations grouped by payer, one invoice per payer."""
    try:
        groups, skipped = {}, {}
        for registration in to_invoice(run.edition, run.categories):
            payer = selectors.payer_of(registration)
            if payer is None:
                skipped["no_payer"] = skipped.get("no_payer", 0) + 1
                continue
            groups.setdefault(payer.pk, (payer, []))[1].append(registration)
        run.start(total=len(groups))
        issued = 0
        for done, (payer, people) in enumerate(groups.values(), start=1):
            # Invoiced meanwhile (from a person's page, or a run started twice): not again.
            billed = set(
                Registration.objects.filter(pk__in=[p.pk for p in people])
                .filter(selectors.invoiced())
                .values_list("pk", flat=True)
            )
            people = [person for person in people if person.pk not in billed]
            if not people:
                run.advance(done)
                continue
            try:
                if run.lines:
                    lines = merged(line for person in people
                                   for line in lines_for(person, run.lines))  # fmt: skip
                else:
                    lines = quoted_lines(people)
                issue_invoice(run.edition, payer, people, lines, actor=run.created_by,
                              nonce=f"run-{run.pk}-{payer.pk}")  # fmt: skip
                issued += 1
            except (CannotInvoice, InvalidLines) as problem:
                logger.info("invoice run %s: payer %s left out (%s)", run.pk, payer.pk, problem)
                skipped["incomplete_payer"] = skipped.get("incomplete_payer", 0) + len(people)
            run.advance(done)
        run.succeed(issued=issued, skipped=skipped)
    except Exception as error:
        logger.exception("invoice run %s failed", run.pk)
        run.fail(error)
    run.refresh_from_db()
    return run


def invoice_confirmed(registration_id):
    """The invoice of one registration confirmed in a category invoiced on confirmation: what
    the fee grid says it owes, to the payer it named. Nothing when it owes nothing, is
    invoiced already, was cancelled meanwhile, or its payer's details are incomplete (the
    organisers then invoice it from the list of those to invoice, once completed). Run twice,
    it issues one invoice (its nonce)."""
    registration = (
        Registration.objects.select_related("edition", "category", "organisation")
        .filter(pk=registration_id, status=Registration.Status.CONFIRMED)
        .exclude(selectors.invoiced())
        .first()
    )
    if registration is None or not registration.category.invoice_on_confirmation:
        return None
    payer = selectors.payer_of(registration)
    try:
        lines = lines_for(registration)
    except CannotInvoice as problem:
        logger.warning("registration %s not invoiced on confirmation: %s", registration.pk, problem)
        return None
    if payer is None or payer_problems(payer) or not lines or totals(lines).gross_cents <= 0:
        logger.info("registration %s confirmed, not invoiced on confirmation", registration.pk)
        return None
    # One nonce per confirmation: a retried task finds its invoice; after a credit note took
    # that one back, a new confirmation gets a new invoice.
    earlier = InvoicedRegistration.objects.filter(registration=registration).count()
    return issue_invoice(registration.edition, payer, [registration], lines, actor=None,
                         nonce=f"confirmed-{registration.pk}-{earlier}")  # fmt: skip


# Retention ---------------------------------------------------------------------------------


def delete_past_retention(today=None, dry_run=False):
    """Delete the invoices whose ten years are over, with their lines, credit notes, payments,
    reminders and PDFs: those issued before 1 January ten years back, whose credit notes and
    payments are past it too; then the bank statements as old whose lines pay nothing kept.
    Returns how many invoices (are due, with `dry_run`)."""
    from .models import RETENTION_YEARS, Payment
    from .statements import delete_past_retention as delete_old_statements

    today = today or timezone.localdate()
    cutoff = datetime.date(today.year - RETENTION_YEARS, 1, 1)
    invoices = (
        Invoice.objects.filter(issued_on__lt=cutoff)
        .exclude(credit_notes__issued_on__gte=cutoff)
        .exclude(payments__received_on__gte=cutoff)
    )
    count = invoices.count()
    if count and not dry_run:
        with transaction.atomic():
            doomed = list(invoices.values_list("pk", flat=True))
            Payment.objects.filter(invoice__in=doomed).delete()
            CreditNote.objects.filter(invoice__in=doomed).delete()
            Invoice.objects.filter(pk__in=doomed).delete()
    delete_old_statements(cutoff, dry_run=dry_run)
    return count
