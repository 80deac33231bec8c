"""The organisers' payment pages: record a payment on an invoice (or cancel one recorded by
mistake), import a bank statement and confirm the matches it proposes, and set when reminders
of overdue invoices go out. Organisers with the invoices capability only; each action is in
the audit log, and each payment and reminder in the history of the registrations billed."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rencontres import audit
from rencontres.forms import new_page_nonce, page_nonce, with_errors
from rencontres.invoicing import bank_files, reminders, selectors, statements
from rencontres.invoicing.forms import (
    CancelPaymentForm,
    PaymentForm,
    ReminderScheduleForm,
    StatementForm,
    overpayment_message,
)
from rencontres.invoicing.models import (
    BankStatement,
    Invoice,
    Payment,
    PaymentReminder,
    StatementLine,
)
from rencontres.invoicing.payments import CannotRecord, cancel_payment, record_payment
from rencontres.roles import INVOICES, edition_page

invoice_page = edition_page(INVOICES)
NONCE = "payment"


def problem_message(reason, invoice=None, due_cents=0):
    """What an organiser reads when a payment cannot be recorded (payments.CannotRecord)."""
    if reason == "overpayment":
        return overpayment_message(invoice.amount(due_cents) if invoice else due_cents)
    return {
        "not_positive": _("Enter the amount received (more than zero)."),
        "nothing_billed": _("This invoice was cancelled by its credit notes: nothing is due."),
        "currency": _("This transfer is not in the invoice's currency."),
        "line_used": _("This bank statement line was recorded already."),
        "line_amount": _("A payment from a bank statement line is the line's amount."),
        "unknown_invoice": _("No invoice of this edition has this number."),
    }.get(reason, _("This payment cannot be recorded."))


def unused_line(edition, value):
    """The statement line a payment form was opened from (its id), if no payment uses it."""
    if not str(value or "").isdigit() or len(str(value)) > 18:
        return None
    line = StatementLine.objects.filter(edition=edition, pk=int(value)).first()
    if line is None or line.payments.filter(cancelled_at__isnull=True).exists():
        return None
    return line


@invoice_page
def payment_new(request, edition, pk):
    invoice = get_object_or_404(
        selectors.with_credit_notes(Invoice.objects.filter(edition=edition)), pk=pk
    )
    line = unused_line(edition, request.POST.get("line") or request.GET.get("line"))
    public = invoice.buyer_public_body
    initial = {
        "nonce": new_page_nonce(NONCE), "received_on": timezone.localdate(),
        "method": Payment.Method.MANDATE if public else Payment.Method.TRANSFER,
        "amount": invoice.due_cents or None,
    }  # fmt: skip
    if line is not None:
        initial.update(
            amount=line.amount_cents, received_on=line.booked_on, line=line.pk,
            reference=(line.bank_reference or line.label)[:200], method=Payment.Method.TRANSFER,
        )  # fmt: skip
    form = PaymentForm(request.POST or None, invoice=invoice, initial=initial)
    if request.method == "POST" and invoice.owed_cents > 0 and form.is_valid():
        data = form.cleaned_data
        try:
            payment = record_payment(
                invoice, amount_cents=data["amount"], method=data["method"],
                received_on=data["received_on"], reference=data["reference"],
                note=data["note"], actor=request.user, statement_line=line,
                allow_overpayment=data["overpayment"], nonce=page_nonce(data["nonce"], NONCE),
            )  # fmt: skip
        except CannotRecord as problem:
            form.offer_overpayment = problem.reason == "overpayment"
            form.add_error("amount", problem_message(problem.reason, invoice, problem.due_cents))
        else:
            if getattr(payment, "just_recorded", False):  # not a double click's second one
                audit.log(request, edition, "payment_recorded", payment=payment.pk,
                          invoice=invoice.pk)  # fmt: skip
            invoice = selectors.with_credit_notes(Invoice.objects.filter(pk=invoice.pk)).get()
            messages.success(
                request,
                _("Payment of %(amount)s recorded. Invoice %(number)s: %(state)s.")
                % {"amount": payment.amount, "number": invoice.number,
                   "state": invoice.get_state_display()},
            )  # fmt: skip
            return redirect("backoffice:invoice", edition.number, invoice.pk)
    return render(
        request,
        "backoffice/payment_form.html",
        {"edition": edition, "invoice": invoice, "form": form, "line": line,
         "error_forms": with_errors(form)},
    )  # fmt: skip


@invoice_page
def payment_cancel(request, edition, pk):
    payment = get_object_or_404(
        Payment.objects.select_related("invoice", "recorded_by"), invoice__edition=edition, pk=pk
    )
    form = CancelPaymentForm(request.POST or None)
    if request.method == "POST" and payment.counts and form.is_valid():
        if cancel_payment(payment, actor=request.user, reason=form.cleaned_data["reason"]):
            audit.log(request, edition, "payment_cancelled", payment=payment.pk,
                      invoice=payment.invoice_id)  # fmt: skip
            messages.success(request, _("The payment of %(amount)s is cancelled.")
                             % {"amount": payment.amount})  # fmt: skip
        return redirect("backoffice:invoice", edition.number, payment.invoice_id)
    return render(
        request,
        "backoffice/payment_cancel.html",
        {"edition": edition, "payment": payment, "invoice": payment.invoice, "form": form,
         "error_forms": with_errors(form)},
    )  # fmt: skip


# Bank statements --------------------------------------------------------------------------


@invoice_page
def statement_list(request, edition):
    form = StatementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            statement = statements.import_statement(edition, form.cleaned_data["file"],
                                                    request.user)  # fmt: skip
        except bank_files.BankFileError as error:
            form.add_error("file", str(error))
        except statements.AlreadyImported as known:
            if known.statement is None:
                form.add_error("file", _("Every credit of this file was imported already, "
                                         "from another file: nothing new in it."))  # fmt: skip
            else:
                when = local_date(known.statement)
                messages.info(request, _("This file was imported already, on %(date)s: here it "
                                         "is.") % {"date": when})  # fmt: skip
                return redirect("backoffice:statement", edition.number, known.statement.pk)
        else:
            count = statement.lines.count()
            audit.log(request, edition, "statement_imported", statement=statement.pk, lines=count)
            messages.success(request, imported_message(statement, count))
            return redirect("backoffice:statement", edition.number, statement.pk)
    imported = BankStatement.objects.filter(edition=edition).annotate(
        line_count=Count("lines", distinct=True),
        recorded=Count(
            "lines", filter=Q(lines__payments__cancelled_at__isnull=True,
                              lines__payments__isnull=False), distinct=True,
        ),
    )  # fmt: skip
    return render(
        request,
        "backoffice/statements.html",
        {"edition": edition, "form": form, "statements": imported[:50],
         "error_forms": with_errors(form)},
    )  # fmt: skip


def local_date(statement):
    from django.utils.formats import date_format

    return date_format(timezone.localtime(statement.uploaded_at), "SHORT_DATETIME_FORMAT")


def imported_message(statement, count):
    text = ngettext("%(count)s credit imported.", "%(count)s credits imported.", count) % {
        "count": count
    }
    if statement.known:
        text += " " + ngettext(
            "%(count)s was imported already from another file: left out.",
            "%(count)s were imported already from other files: left out.",
            statement.known,
        ) % {"count": statement.known}
    if statement.debits:
        text += " " + ngettext(
            "%(count)s debit or pending entry left out.",
            "%(count)s debits or pending entries left out.",
            statement.debits,
        ) % {"count": statement.debits}
    return text


def posted_line_ids(request):
    """The lines the organiser confirmed: the one of the row's own button, or those ticked."""
    values = [request.POST["only"]] if request.POST.get("only") else request.POST.getlist("line")
    return [int(value) for value in values[:5000] if value.isdigit() and len(value) <= 18]


@invoice_page
def statement_page(request, edition, pk):
    statement = get_object_or_404(BankStatement, edition=edition, pk=pk)
    problems, typed = {}, {}
    if request.method == "POST":
        ids = posted_line_ids(request)
        typed = {pk: str(request.POST.get(f"invoice_{pk}", ""))[:40] for pk in ids}
        outcome = statements.confirm(statement, typed, request.user)
        problems = {
            line: problem_message(reason, invoice, due)
            for line, (reason, invoice, due) in outcome.problems.items()
        }
        if outcome.recorded:
            audit.log(request, edition, "statement_payments_recorded", statement=statement.pk,
                      payments=[payment.pk for payment in outcome.recorded])  # fmt: skip
            messages.success(request, ngettext(
                "%(count)s payment recorded.", "%(count)s payments recorded.",
                len(outcome.recorded)) % {"count": len(outcome.recorded)})  # fmt: skip
        if not problems:
            if not ids:
                messages.info(request, _("Tick the lines to record first."))
            return redirect("backoffice:statement", edition.number, statement.pk)
        messages.error(request, ngettext(
            "%(count)s line could not be recorded: see why next to it.",
            "%(count)s lines could not be recorded: see why next to each.",
            len(problems)) % {"count": len(problems)})  # fmt: skip
    found = statements.rows(statement)
    for row in found:
        row.problem = problems.get(row.line.pk, "")
        row.typed = typed.get(row.line.pk)
    return render(
        request,
        "backoffice/statement.html",
        {
            "edition": edition, "statement": statement, "rows": found,
            "to_confirm": sum(1 for row in found if row.payment is None and row.invoice),
            "recorded": sum(1 for row in found if row.payment is not None),
        },
    )  # fmt: skip


# Reminders --------------------------------------------------------------------------------


@invoice_page
def payment_reminders(request, edition):
    days = reminders.schedule_of(edition)
    form = ReminderScheduleForm(
        request.POST or None, initial={"days": ", ".join(str(day) for day in days)}
    )
    if request.method == "POST" and form.is_valid():
        days = reminders.set_schedule(edition, form.cleaned_data["days"], request.user)
        audit.log(request, edition, "reminder_schedule_changed", days=days)
        if days:
            messages.success(request, _("Reminders go out %(days)s days after the due date.")
                             % {"days": ", ".join(str(day) for day in days)})  # fmt: skip
        else:
            messages.success(request, _("No reminder goes out any more."))
        return redirect("backoffice:payment_reminders", edition.number)
    return render(
        request,
        "backoffice/payment_reminders.html",
        {
            "edition": edition, "form": form, "error_forms": with_errors(form),
            "due_today": reminders.due_reminders(edition),
            "sent": PaymentReminder.objects.filter(invoice__edition=edition)
            .select_related("invoice")[:50],
        },
    )  # fmt: skip
