"""Who pays, and what was invoiced: the payer a registrant names (for themselves or their whole
delegation), invoices and credit notes (avoirs) with their lines, the yearly sequences that
number them, the deposits made for public payers, and the background runs that issue many.

An invoice and a credit note never change once issued: saving one again, updating or deleting
it is refused (a change or a cancellation is a credit note, and where needed a new invoice).
Each keeps the buyer's and the seller's details as they were when it was issued, so that
neither a later change of a payer nor the erasure of a person alters it. Money is integer
cents with a currency."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from rencontres.jobs import BackgroundJob
from rencontres.money import format_money as money
from rencontres.storage import private_storage

from ..lines import LineItem, percent

# Accounting documents are kept ten years from the end of their year (Code de commerce,
# article L123-22), whatever becomes of the person's other data.
RETENTION_YEARS = 10


class Payer(models.Model):
    """Who pays a registration's fees, as the registrant (or the team) gave it. A head of
    delegation may name one payer for the whole delegation."""

    class Kind(models.TextChoices):
        OWN_ORGANISATION = "own_organisation", _("My organisation")
        OTHER_ORGANISATION = "other_organisation", _("Another organisation")
        PERSON = "person", _("I pay myself")

    registration = models.OneToOneField(
        "registration.Registration", on_delete=models.CASCADE, related_name="payer"
    )
    covers_delegation = models.BooleanField(
        _("pays for the whole delegation"),
        default=False,
        help_text=_("The members of your delegation are invoiced to this payer too."),
    )
    kind = models.CharField(_("who pays"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name on the invoice"), max_length=200)
    address = models.CharField(_("street address"), max_length=300)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"))
    email = models.EmailField(_("e-mail for invoices"), blank=True)
    public_body = models.BooleanField(
        _("French public body"),
        default=False,
        help_text=_("The State, a local authority, a hospital…: invoiced through Chorus Pro."),
    )
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    service_code = models.CharField(_("service code"), max_length=100, blank=True)
    commitment_required = models.BooleanField(
        _("our service requires a commitment number"), default=False
    )
    commitment_number = models.CharField(_("commitment number"), max_length=50, blank=True)
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    language = models.CharField(
        _("language of the invoice"), max_length=2, choices=settings.LANGUAGES, default="fr"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("payer")
        verbose_name_plural = _("payers")

    def __str__(self):
        return self.name

    @property
    def is_organisation(self):
        """An organisation owes the late-payment penalties and the fixed recovery indemnity;
        a private person does not."""
        return self.kind != self.Kind.PERSON


class Sequence(models.Model):
    """The last number given in one series ("F": invoices, "A": credit notes) and year. Its
    row is locked while a number is given, in the transaction that stores the document: a
    number is used once, and one rolled back is given again (no gap)."""

    series = models.CharField(max_length=1)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="one_sequence_per_year")
        ]

    def __str__(self):
        return f"{self.series}{self.year}: {self.last}"


class AlreadyIssued(Exception):
    """An issued invoice or credit note, or one of its lines, was to be changed or deleted."""


class IssuedQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AlreadyIssued("an issued document is never changed: issue a credit note")

    def past_retention(self, today=None):
        today = today or timezone.localdate()
        return self.filter(issued_on__lt=datetime.date(today.year - RETENTION_YEARS, 1, 1))


class Issued(models.Model):
    """What invoices and credit notes share: a number without gap in its series and year,
    the date, who issued it, the totals, and the Factur-X PDF as issued (private storage,
    served only by the views that check the role or the payer's private link)."""

    SERIES = ""

    edition = models.ForeignKey("editions.Edition", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("number"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField(editable=False)
    sequence = models.PositiveIntegerField(editable=False)
    issued_on = models.DateField(_("date"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    net_cents = models.BigIntegerField(_("total excluding VAT"))
    vat_cents = models.BigIntegerField(_("VAT"))
    gross_cents = models.BigIntegerField(_("total including VAT"))
    file = models.FileField(storage=private_storage, upload_to="invoices/", blank=True)
    # The form's one-time value: the same form sent twice issues one document.
    nonce = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    objects = IssuedQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AlreadyIssued(f"{self.number} is issued: issue a credit note instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        refuse_deletion(self)
        return super().delete(*args, **kwargs)

    @property
    def keep_until(self):
        """The last day it must be kept: ten years after the end of its year."""
        return datetime.date(self.issued_on.year + RETENTION_YEARS, 12, 31)

    def amount(self, cents, language=None):
        """An amount of this document, in `language` (the page's by default)."""
        from django.utils.translation import get_language

        return money(cents, self.currency, (language or get_language() or "fr")[:2])

    @property
    def gross_amount(self):
        return self.amount(self.gross_cents)

    @property
    def net_amount(self):
        return self.amount(self.net_cents)

    @property
    def vat_amount(self):
        return self.amount(self.vat_cents)

    @property
    def file_name(self):
        return f"{self.number}.pdf"


def refuse_deletion(document, today=None):
    """An issued document goes only once its retention is over (the daily purge)."""
    if (today or timezone.localdate()) <= document.keep_until:
        raise AlreadyIssued(f"{document.number} must be kept until {document.keep_until}")


class Invoice(Issued):
    SERIES = "F"

    class State(models.TextChoices):
        # Derived from the amounts (Invoice.state), never stored.
        UNPAID = "unpaid", _("Unpaid")
        PARTLY_PAID = "partly_paid", _("Partly paid")
        PAID = "paid", _("Paid")
        OVERDUE = "overdue", _("Overdue")
        CANCELLED = "cancelled", _("Cancelled by credit notes")
        SETTLED = "settled", _("Nothing due")

    registrations = models.ManyToManyField(
        "registration.Registration",
        through="InvoicedRegistration",
        related_name="invoices",
        verbose_name=_("registrations"),
    )
    # The payer whose details it took (kept: an invoice's payer is not deleted).
    payer = models.ForeignKey(
        Payer, on_delete=models.PROTECT, null=True, blank=True, related_name="invoices"
    )
    due_on = models.DateField(_("due date"))
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    # The buyer, as it was when the invoice was issued.
    buyer_kind = models.CharField(_("who pays"), max_length=20, choices=Payer.Kind.choices)
    buyer_name = models.CharField(_("buyer"), max_length=200)
    buyer_address = models.CharField(_("street address"), max_length=300)
    buyer_postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    buyer_city = models.CharField(_("city"), max_length=100)
    buyer_country = CountryField(_("country"))
    buyer_email = models.EmailField(_("e-mail for invoices"), blank=True)
    buyer_public_body = models.BooleanField(_("French public body"), default=False)
    buyer_siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    buyer_vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    service_code = models.CharField(_("service code"), max_length=100, blank=True)
    commitment_number = models.CharField(_("commitment number"), max_length=50, blank=True)
    # The seller (the organising association), as settings.INVOICING said then.
    seller = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="invoice_number_once")
        ]

    @property
    def buyer_is_organisation(self):
        return self.buyer_kind != Payer.Kind.PERSON

    def lines_as_items(self):
        return [line.item() for line in self.lines.all()]

    @property
    def credited_cents(self):
        """The total (VAT included) of its credit notes, read from the prefetched ones."""
        return sum(note.gross_cents for note in self.credit_notes.all())

    @property
    def paid_cents(self):
        """What was received, read from the prefetched payments (cancelled ones aside)."""
        return sum(payment.amount_cents for payment in self.payments.all() if payment.counts)

    @property
    def owed_cents(self):
        """What the invoice bills once its credit notes are taken off."""
        return self.gross_cents - self.credited_cents

    @property
    def due_cents(self):
        """What remains to be paid: what it bills, less its credit notes and its payments."""
        return max(self.owed_cents - self.paid_cents, 0)

    @property
    def overpaid_cents(self):
        """What was received beyond what it bills (to refund, or a mistake to correct)."""
        return max(self.paid_cents - self.owed_cents, 0)

    def state(self, today=None):
        """The one rule of an invoice's state: paid, partly paid, unpaid, overdue (its due
        date passed, Paris time, and not fully paid), or cancelled by its credit notes."""
        owed, paid = self.owed_cents, self.paid_cents
        if owed <= 0 and not paid:
            return self.State.CANCELLED if self.gross_cents else self.State.SETTLED
        if paid >= owed:
            return self.State.PAID
        if (today or timezone.localdate()) > self.due_on:
            return self.State.OVERDUE
        return self.State.PARTLY_PAID if paid else self.State.UNPAID

    def get_state_display(self):
        return self.State(self.state()).label

    @property
    def is_open(self):
        """Something remains to be paid: a payment may be recorded."""
        return self.due_cents > 0

    @property
    def due_amount(self):
        return self.amount(self.due_cents)

    @property
    def paid_amount(self):
        return self.amount(self.paid_cents)

    @property
    def credited_amount(self):
        return self.amount(self.credited_cents)

    @property
    def owed_amount(self):
        return self.amount(self.owed_cents)

    @property
    def overpaid_amount(self):
        return self.amount(self.overpaid_cents)


class InvoicedRegistration(models.Model):
    """A registration an invoice bills: a registration invoiced is never deleted."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE)
    registration = models.ForeignKey("registration.Registration", on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "registration"], name="a_registration_once_per_invoice"
            )
        ]

    def __str__(self):
        return f"{self.invoice_id}: {self.registration_id}"


class CreditNote(Issued):
    """An avoir: takes back all or part of one invoice (its totals are what it credits, as
    positive amounts; the journal writes them as negative)."""

    SERIES = "A"

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="credit_notes", verbose_name=_("invoice")
    )
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="credit_note_number_once")
        ]

    @property
    def language(self):
        return self.invoice.language


class IssuedLine(models.Model):
    """One line as issued: never changed."""

    position = models.PositiveSmallIntegerField()
    code = models.CharField(_("code"), max_length=40, blank=True)
    label_fr = models.CharField(_("label (French)"), max_length=300)
    label_en = models.CharField(_("label (English)"), max_length=300, blank=True)
    quantity = models.IntegerField(_("quantity"))
    unit_cents = models.BigIntegerField(_("unit price excluding VAT"))
    vat_rate_bp = models.PositiveSmallIntegerField(_("VAT rate (basis points)"))
    total_cents = models.BigIntegerField(_("total excluding VAT"))

    objects = IssuedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position"]

    def __str__(self):
        return self.label_fr

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AlreadyIssued("an issued line is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        refuse_deletion(self.document)
        return super().delete(*args, **kwargs)

    @property
    def unit_amount(self):
        return self.document.amount(self.unit_cents)

    @property
    def total_amount(self):
        return self.document.amount(self.total_cents)

    @property
    def rate(self):
        return percent(self.vat_rate_bp)

    def item(self):
        return LineItem(self.code, self.label_fr, self.label_en, self.quantity, self.unit_cents,
                        self.vat_rate_bp)  # fmt: skip


class InvoiceLine(IssuedLine):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")

    class Meta(IssuedLine.Meta):
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")

    @property
    def document(self):
        return self.invoice


class CreditNoteLine(IssuedLine):
    credit_note = models.ForeignKey(CreditNote, on_delete=models.CASCADE, related_name="lines")

    class Meta(IssuedLine.Meta):
        verbose_name = _("credit note line")
        verbose_name_plural = _("credit note lines")

    @property
    def document(self):
        return self.credit_note


class Deposit(models.Model):
    """Invoices handed to a deposit connector (deposit.py): which, when, by whom, and what the
    connector answered (a reference, for the API connectors to come)."""

    edition = models.ForeignKey("editions.Edition", on_delete=models.CASCADE, related_name="+")
    connector = models.CharField(max_length=200)
    invoices = models.ManyToManyField(Invoice, related_name="deposits")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reference = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.connector} {self.created_at:%Y-%m-%d %H:%M}"


class InvoiceRun(BackgroundJob):
    """Invoices issued in the background for the registrations of some categories that have
    none yet, one per payer: `lines` is what each registration is billed (LineItem fields)."""

    edition = models.ForeignKey("editions.Edition", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    categories = models.JSONField(default=list, blank=True)
    lines = models.JSONField(default=list)
    issued = models.PositiveIntegerField(default=0)
    # Registrations left out, and why (no payer given, ...): {reason: count}.
    skipped = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.edition} – {self.created_at:%Y-%m-%d %H:%M}"
