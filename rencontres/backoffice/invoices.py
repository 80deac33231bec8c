"""The organisers' invoice pages: the list with its filters, one invoice with its credit
notes, a credit note (all, some lines, or all and a new invoice), issuing one person's (or a
delegation's) invoice from their page, a background run for many, and the files: each PDF,
the ZIP for Chorus Pro (through the deposit connector) and the accountant's journal (with the
payments) as Excel and CSV (payments and bank statements: payments.py). Organisers only;
every file is written in the audit log."""

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rencontres import audit
from rencontres.fees.pricing import Grid
from rencontres.forms import FastSelect, new_page_nonce, page_nonce, with_errors
from rencontres.invoicing import deposit, selectors, services
from rencontres.invoicing.forms import (
    CreditNoteForm,
    PayerForm,
    RunForm,
    initial_lines,
    line_formset,
)
from rencontres.invoicing.lines import InvalidLines
from rencontres.invoicing.models import CreditNote, Invoice, InvoiceRun, Payer, Payment
from rencontres.invoicing.views import file_response
from rencontres.jobs import status_response
from rencontres.pagination import page_of
from rencontres.registration.models import Registration
from rencontres.roles import INVOICES, edition_page

from . import exports
from .forms import ListFilters

invoice_page = edition_page(INVOICES)
NONCE = "invoice"


class InvoiceFilters(ListFilters):
    STATES = [("", gettext_lazy("All")), *Invoice.State.choices]
    PAYERS = [
        ("", gettext_lazy("All")),
        ("public", gettext_lazy("French public bodies (Chorus Pro)")),
        ("france", gettext_lazy("Other payers in France")),
        ("abroad", gettext_lazy("Payers abroad")),
    ]

    state = forms.ChoiceField(
        label=gettext_lazy("State"), required=False, choices=STATES, widget=FastSelect
    )
    payer = forms.ChoiceField(
        label=gettext_lazy("Payer"), required=False, choices=PAYERS, widget=FastSelect
    )

    def filter_values(self, data):
        return {"state": data.get("state", ""), "payer": data.get("payer", "")}


def filtered(edition, values):
    """The edition's invoices as the filters say, newest first, with their credit notes."""
    invoices = selectors.with_credit_notes(Invoice.objects.filter(edition=edition))
    payer = values["payer"]
    if payer == "public":
        invoices = invoices.filter(buyer_public_body=True)
    elif payer == "france":
        invoices = invoices.filter(buyer_public_body=False, buyer_country="FR")
    elif payer == "abroad":
        invoices = invoices.exclude(buyer_country="FR")
    invoices = matching_invoices(invoices, values["query"])
    invoices = list(invoices.order_by("-year", "-sequence"))
    if values["state"]:
        invoices = selectors.in_state(invoices, values["state"])
    return invoices


def matching_invoices(invoices, query):
    for word in query.split()[:5]:
        invoices = invoices.filter(
            Q(number__icontains=word) | Q(buyer_name__icontains=word)
            | Q(buyer_siret__icontains=word) | Q(commitment_number__icontains=word)
            | Q(registrations__last_name__icontains=word)
        ).distinct()  # fmt: skip
    return invoices


@invoice_page
def invoice_list(request, edition):
    filters = InvoiceFilters(request.GET or None)
    values = filters.values()
    invoices = filtered(edition, values)
    page, query_string = page_of(request, invoices)
    return render(
        request,
        "backoffice/invoices.html",
        {
            "edition": edition,
            "filters": filters,
            "page": page,
            "query_string": query_string,
            "error_forms": with_errors(filters),
            "runs": InvoiceRun.objects.filter(edition=edition)[:5],
            "to_invoice": services.to_invoice(edition).count(),
            "public_count": sum(1 for invoice in invoices if invoice.buyer_public_body),
        },
    )


@invoice_page
def invoice_page_view(request, edition, pk):
    invoice = get_object_or_404(
        selectors.with_credit_notes(Invoice.objects.filter(edition=edition)), pk=pk
    )
    return render(
        request,
        "backoffice/invoice.html",
        {
            "edition": edition,
            "invoice": invoice,
            "lines": invoice.lines.all(),
            "people": invoice.registrations.order_by("last_name", "first_name"),
            "deposits": invoice.deposits.all(),
            "payments": invoice.payments.all(),
            "reminders": invoice.reminders.all(),
        },
    )


@invoice_page
def invoice_pdf(request, edition, pk):
    invoice = get_object_or_404(Invoice, edition=edition, pk=pk)
    audit.log(request, edition, "invoice_downloaded", invoice=invoice.pk)
    return file_response(invoice)


@invoice_page
def credit_note_pdf(request, edition, pk):
    note = get_object_or_404(CreditNote, edition=edition, pk=pk)
    audit.log(request, edition, "credit_note_downloaded", credit_note=note.pk)
    return file_response(note)


class PaidAlready(Exception):
    """A paid invoice is not replaced whole: its payments would stay on the old one."""


@invoice_page
def credit_note_new(request, edition, pk):
    invoice = get_object_or_404(
        selectors.with_credit_notes(Invoice.objects.filter(edition=edition)), pk=pk
    )
    form = CreditNoteForm(request.POST or None, invoice=invoice,
                          initial={"nonce": new_page_nonce(NONCE)})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        nonce = page_nonce(data["nonce"], NONCE)
        try:
            if data["what"] == form.REPLACE and invoice.paid_cents:
                raise PaidAlready
            if data["what"] == form.REPLACE:
                payer = invoice.payer or selectors.payer_of(invoice.registrations.first())
                problems = services.payer_problems(payer) if payer else ["payer"]
                if problems:
                    raise services.CannotInvoice(", ".join(problems))
                note, new = services.replace_invoice(
                    invoice, payer, invoice.lines_as_items(), actor=request.user,
                    reason=data["reason"],
                )  # fmt: skip
                messages.success(request, _("Credit note %(note)s and invoice %(invoice)s "
                                            "issued.") % {"note": note.number,
                                                          "invoice": new.number})  # fmt: skip
                audit.log(request, edition, "invoice_replaced", invoice=invoice.pk, new=new.pk)
                return redirect("backoffice:invoice", edition.number, new.pk)
            lines = form.items() if data["what"] == form.LINES else None
            note = services.issue_credit_note(invoice, actor=request.user, reason=data["reason"],
                                              lines=lines, nonce=nonce)  # fmt: skip
        except PaidAlready:
            form.add_error("what", _("Payments were recorded on this invoice: take back what "
                                     "changes with a credit note of some lines, or cancel the "
                                     "payments first, before issuing a new invoice."))  # fmt: skip
        except InvalidLines:
            form.add_error(None, _("This credit note would take back more than the invoice "
                                   "still bills: lower the quantities."))  # fmt: skip
        except services.CannotInvoice:
            form.add_error("what", _("The payer's details are incomplete (SIRET, address or "
                                     "commitment number): complete them first."))  # fmt: skip
        else:
            audit.log(request, edition, "credit_note_issued", credit_note=note.pk)
            messages.success(request, _("Credit note %(number)s issued.") % {"number": note.number})
            return redirect("backoffice:invoice", edition.number, invoice.pk)
    return render(
        request,
        "backoffice/credit_note_form.html",
        {"edition": edition, "invoice": invoice, "form": form, "error_forms": with_errors(form)},
    )


# One person's invoice -------------------------------------------------------------------


def person_of(edition, pk):
    return get_object_or_404(
        Registration.objects.select_related("organisation", "category", "delegation"),
        edition=edition, pk=pk,
    )  # fmt: skip


@invoice_page
def registration_invoice(request, edition, pk):
    """Issue the invoice of a registration (with its delegation when its payer pays for it),
    the lines typed by the organiser."""
    person = person_of(edition, pk)
    payer = selectors.payer_of(person)
    people = list(selectors.covered_by(payer).filter(edition=edition)) if payer else [person]
    # Those who hold a place (not those replaced, cancelled or still waiting for one).
    people = [p for p in people if p.status == Registration.Status.CONFIRMED] or [person]
    already = Registration.objects.filter(pk__in=[p.pk for p in people]).filter(
        selectors.invoiced()
    )
    try:
        quoted = services.quoted_lines(people)
    except services.CannotInvoice:  # a grid in another currency than the invoices'
        quoted = []
        messages.error(request, _("The fee grid is in another currency than the invoices: "
                                  "type the lines in the invoices' currency."))  # fmt: skip
    lines = line_formset(extra=1 if quoted else 3)(
        request.POST or None, prefix="lines", initial=initial_lines(quoted)
    )
    nonce = request.POST.get("nonce") if request.method == "POST" else new_page_nonce(NONCE)
    problems = services.payer_problems(payer) if payer else []
    if request.method == "POST" and payer and not problems and lines.is_valid():
        try:
            invoice = services.issue_invoice(
                edition, payer, people, lines.items(), actor=request.user,
                nonce=page_nonce(nonce, NONCE),
            )  # fmt: skip
        except InvalidLines as problem:
            lines._non_form_errors = lines.error_class([invalid_lines_message(problem)])
        except services.CannotInvoice:
            messages.error(request, _("This invoice cannot be issued: check who pays."))
        else:
            audit.log(request, edition, "invoice_issued", invoice=invoice.pk)
            messages.success(request, _("Invoice %(number)s issued.") % {"number": invoice.number})
            return redirect("backoffice:invoice", edition.number, invoice.pk)
    return render(
        request,
        "backoffice/registration_invoice.html",
        {
            "edition": edition, "person": person, "payer": payer, "people": people,
            "problems": problems, "lines": lines, "nonce": nonce, "already": already,
            "quoted": bool(quoted),
            "invoices": selectors.invoices_of(person),
            "error_forms": with_errors(*lines.forms) or ([lines] if lines.non_form_errors()
                                                          else []),
        },
    )  # fmt: skip


def invalid_lines_message(problem):
    if "VAT" in str(problem):
        return _("The association charges no VAT: set every rate to 0.")
    if "negative" in str(problem):
        return _("The total of an invoice cannot be negative.")
    return _("Check the lines: each needs a label, a quantity and a price.")


@invoice_page
def registration_payer(request, edition, pk):
    """Who pays for a registration, set by the team (someone who phoned or wrote)."""
    person = person_of(edition, pk)
    own = Payer.objects.filter(registration=person).first()
    form = PayerForm(
        request.POST or None, instance=own, organisation=person.organisation, person=person,
        delegation=person.is_delegation_head,
        initial=None if own else {"kind": "own_organisation", "language": person.language},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        services.save_payer(person, form.payer_data(), actor=request.user)
        messages.success(request, _("Who pays is saved."))
        return redirect("backoffice:registration_invoice", edition.number, person.pk)
    return render(
        request,
        "backoffice/registration_payer.html",
        {"edition": edition, "person": person, "form": form, "error_forms": with_errors(form)},
    )


# Many invoices at once ------------------------------------------------------------------


@invoice_page
def invoice_run_new(request, edition):
    form = RunForm(request.POST or None, edition=edition)
    # With a fee grid, each person is billed what it says unless lines are typed.
    priced = Grid.of(edition).charges
    lines = line_formset(required=not priced)(request.POST or None, prefix="lines")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        items = lines.items()
        try:
            if items:  # none typed: the grid's, checked as each invoice is issued
                services.checked_lines(items, services.seller_snapshot())
        except InvalidLines as problem:
            lines._non_form_errors = lines.error_class([invalid_lines_message(problem)])
        else:
            run = services.start_run(edition, request.user, form.cleaned_data["categories"], items)
            audit.log(request, edition, "invoice_run_started", run=run.pk)
            return redirect("backoffice:invoice_run", edition.number, run.pk)
    return render(
        request,
        "backoffice/invoice_run_form.html",
        {
            "edition": edition, "form": form, "lines": lines, "priced": priced,
            "to_invoice": services.to_invoice(edition).count(),
            "error_forms": with_errors(form, *lines.forms),
        },
    )  # fmt: skip


@invoice_page
def invoice_run(request, edition, pk):
    run = get_object_or_404(InvoiceRun, edition=edition, pk=pk)
    return render(request, "backoffice/invoice_run.html", {"edition": edition, "run": run})


@invoice_page
def invoice_run_status(request, edition, pk):
    return status_response(get_object_or_404(InvoiceRun, edition=edition, pk=pk))


# Files ----------------------------------------------------------------------------------


@require_POST
@invoice_page
def invoice_deposit(request, edition):
    """The public bodies' invoices of the filtered list, handed to the deposit connector
    (the first one makes the ZIP for Chorus Pro's portal)."""
    values = InvoiceFilters(request.POST).values()
    cancelled = Invoice.State.CANCELLED
    invoices = [invoice for invoice in filtered(edition, values)
                if invoice.buyer_public_body and invoice.state() != cancelled]  # fmt: skip
    if not invoices:
        messages.info(request, _("No open invoice to a French public body in this list."))
        return redirect("backoffice:invoices", edition.number)
    record, outcome = deposit.deposit(edition, invoices, request.user)
    audit.log(request, edition, "invoices_deposited", deposit=record.pk, count=len(invoices))
    if not outcome.content:
        messages.success(request, _("%(count)s invoices deposited.") % {"count": len(invoices)})
        return redirect("backoffice:invoices", edition.number)
    response = HttpResponse(outcome.content, content_type=outcome.content_type)
    response["Content-Disposition"] = f'attachment; filename="{outcome.filename}"'
    return response


def journal(edition):
    """(header, rows) of the accountant's journal: each invoice, credit note and payment of
    the edition in the order of their dates and numbers, credit notes negative. Payments are
    in their own column ("Received"), so that the totals column adds up to what was invoiced
    and that one to what was received; a payment cancelled is taken back on the day it was."""
    header = [
        (_("Date"), exports.DAY), (_("Number"), exports.TEXT), (_("Document"), exports.TEXT),
        (_("Invoice credited or paid"), exports.TEXT), (_("Buyer"), exports.TEXT),
        (_("SIRET"), exports.TEXT), (_("VAT number"), exports.TEXT),
        (_("Country code"), exports.TEXT), (_("Service code"), exports.TEXT),
        (_("Commitment number"), exports.TEXT), (_("Total excl. VAT"), exports.MONEY),
        (_("VAT"), exports.MONEY), (_("Total incl. VAT"), exports.MONEY),
        (_("Currency"), exports.TEXT), (_("Due date"), exports.DAY),
        (_("Amount received"), exports.MONEY), (_("Payment method"), exports.TEXT),
        (_("Payment reference"), exports.TEXT),
    ]  # fmt: skip
    no_payment = [None, "", ""]
    rows = []

    def buyer(invoice):
        return [invoice.buyer_name, invoice.buyer_siret, invoice.buyer_vat_number,
                str(invoice.buyer_country), invoice.service_code,
                invoice.commitment_number]  # fmt: skip

    for invoice in Invoice.objects.filter(edition=edition):
        rows.append(((invoice.issued_on, invoice.issued_at, invoice.number), [
            invoice.issued_on, invoice.number, _("Invoice"), "", *buyer(invoice),
            euros(invoice.net_cents), euros(invoice.vat_cents), euros(invoice.gross_cents),
            invoice.currency, invoice.due_on, *no_payment,
        ]))  # fmt: skip
    for note in CreditNote.objects.filter(edition=edition).select_related("invoice"):
        invoice = note.invoice
        rows.append(((note.issued_on, note.issued_at, note.number), [
            note.issued_on, note.number, _("Credit note"), invoice.number, *buyer(invoice),
            euros(-note.net_cents), euros(-note.vat_cents), euros(-note.gross_cents),
            note.currency, None, *no_payment,
        ]))  # fmt: skip
    for payment in Payment.objects.filter(invoice__edition=edition).select_related("invoice"):
        invoice = payment.invoice
        paid = [payment.get_method_display(), payment.reference]
        rows.append(((payment.received_on, payment.recorded_at, invoice.number), [
            payment.received_on, "", _("Payment"), invoice.number, *buyer(invoice),
            None, None, None, payment.currency, None, euros(payment.amount_cents), *paid,
        ]))  # fmt: skip
        if payment.cancelled_at:
            day = timezone.localtime(payment.cancelled_at).date()
            rows.append(((day, payment.cancelled_at, invoice.number), [
                day, "", _("Payment cancelled"), invoice.number, *buyer(invoice),
                None, None, None, payment.currency, None, euros(-payment.amount_cents), *paid,
            ]))  # fmt: skip
    rows.sort(key=lambda row: row[0])
    guarded = [[exports.guard(value) for value in row] for _key, row in rows]
    return header, guarded


def euros(cents):
    from decimal import Decimal

    return Decimal(cents) / 100


@invoice_page
def invoice_journal(request, edition, kind):
    header, rows = journal(edition)
    audit.log(request, edition, f"invoice_journal_{kind}", rows=len(rows))
    if kind == "xlsx":
        content = exports.workbook(_("Journal"), header, rows)
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        content = exports.csv_file(header, rows, request.GET.get("separator"))
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="invoices-{edition.number}.{"xlsx" if kind == "xlsx" else "csv"}"'
    )
    return response
