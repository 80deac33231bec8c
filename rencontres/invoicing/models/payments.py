"""What was received for invoices: payments recorded by the team (or, later, reported by a card
provider), the bank statements imported to find transfers with their lines, and the reminders
sent for overdue invoices on each edition's schedule. Money is integer cents with a currency.

A payment is never changed nor deleted: a mistake is cancelled (who, when, why) and stays in
the journal; it counts no more in what the invoice has received."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rencontres.money import format_money as money


class Payment(models.Model):
    class Method(models.TextChoices):
        TRANSFER = "transfer", _("Bank transfer")
        MANDATE = "mandate", _("Administrative mandate (mandat administratif)")
        CHEQUE = "cheque", _("Cheque")
        CASH = "cash", _("Cash at the desk")
        OTHER = "other", _("Other")

    invoice = models.ForeignKey(
        "invoicing.Invoice",
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("invoice"),
    )
    amount_cents = models.BigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    method = models.CharField(_("how it was paid"), max_length=20, choices=Method.choices)
    received_on = models.DateField(_("date received"))
    reference = models.CharField(
        _("reference"), max_length=200, blank=True,
        help_text=_("The transfer's label, the mandate or cheque number, the receipt number…"),
    )  # fmt: skip
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    # The bank statement line it was found on, when it was.
    statement_line = models.ForeignKey(
        "invoicing.StatementLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
    )
    # A card provider, later: its code and its own reference for the payment (a webhook
    # reporting the same payment twice finds the first). Blank for what the team records.
    provider = models.CharField(max_length=50, blank=True)
    provider_reference = models.CharField(max_length=200, blank=True)
    # The form's one-time value: the same form sent twice records one payment.
    nonce = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["received_on", "recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="payment_is_positive"),
            # A statement line pays once (two organisers confirming it at once record one).
            models.UniqueConstraint(
                fields=["statement_line"],
                condition=Q(statement_line__isnull=False, cancelled_at__isnull=True),
                name="a_statement_line_pays_once",
            ),
            models.UniqueConstraint(
                fields=["provider", "provider_reference"],
                condition=~Q(provider=""),
                name="a_provider_payment_once",
            ),
        ]

    def __str__(self):
        return f"{self.invoice_id}: {self.amount_cents} {self.currency}"

    @property
    def counts(self):
        """Whether it counts in what the invoice received (not cancelled)."""
        return self.cancelled_at is None

    @property
    def amount(self):
        from django.utils.translation import get_language

        return money(self.amount_cents, self.currency, (get_language() or "fr")[:2])


class BankStatement(models.Model):
    """A bank statement file an organiser imported (CSV as French banks export it, or ISO 20022
    camt.053): its credit lines are kept, each once per edition, to be matched to invoices."""

    class Format(models.TextChoices):
        CSV = "csv", _("CSV")
        CAMT053 = "camt053", _("ISO 20022 camt.053")

    edition = models.ForeignKey("editions.Edition", on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(_("file"), max_length=200)
    file_format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    # SHA-256 of the file: the same file imported again is found, not read twice.
    digest = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("imported at"), default=timezone.now)
    # What the file held besides its new credit lines: debits, and lines imported before.
    debits = models.PositiveIntegerField(default=0)
    known = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "digest"], name="a_statement_file_once")
        ]

    def __str__(self):
        return self.file_name


class StatementLine(models.Model):
    """One credit (money received) of a bank statement. Its fingerprint (the bank's reference,
    or the date, amount and label) is unique per edition: a line in two files is kept once."""

    statement = models.ForeignKey(BankStatement, on_delete=models.CASCADE, related_name="lines")
    edition = models.ForeignKey("editions.Edition", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()
    booked_on = models.DateField(_("date"))
    amount_cents = models.BigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    label = models.CharField(_("label"), max_length=500, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    fingerprint = models.CharField(max_length=64)

    class Meta:
        ordering = ["statement", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "fingerprint"], name="a_statement_line_once_per_edition"
            )
        ]

    def __str__(self):
        return f"{self.booked_on} {self.amount_cents} {self.label[:40]}"

    @property
    def amount(self):
        from django.utils.translation import get_language

        return money(self.amount_cents, self.currency, (get_language() or "fr")[:2])


class ReminderSchedule(models.Model):
    """When reminders go to the payers of an edition's overdue invoices: days after the due
    date (e.g. [7, 30]); none, no reminder."""

    edition = models.OneToOneField(
        "editions.Edition", on_delete=models.CASCADE, related_name="reminder_schedule"
    )
    days = models.JSONField(_("days after the due date"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("reminder schedule")
        verbose_name_plural = _("reminder schedules")

    def __str__(self):
        return ", ".join(str(day) for day in self.days)


class PaymentReminder(models.Model):
    """A reminder sent for an overdue invoice, at one step of the schedule (the days after the
    due date): at most one per invoice and step."""

    invoice = models.ForeignKey(
        "invoicing.Invoice", on_delete=models.CASCADE, related_name="reminders"
    )
    step = models.PositiveSmallIntegerField(_("days after the due date"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    due_cents = models.BigIntegerField(_("amount due"))
    email = models.ForeignKey(
        "mail.OutgoingEmail", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "step"], name="a_reminder_once_per_step")
        ]

    def __str__(self):
        return f"{self.invoice_id} +{self.step}"

    @property
    def due_amount(self):
        return self.invoice.amount(self.due_cents)
