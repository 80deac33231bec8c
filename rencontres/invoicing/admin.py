"""Payers in the admin (the team corrects one there too), and invoices, credit notes and
payments to read only: an issued document never changes, its file is served by the view that
checks the role, and a payment is recorded or cancelled from the back-office's invoice page."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from rencontres.audit import AuditedModelAdmin, ReadOnlyAdmin

from .models import CreditNote, Invoice, Payer, Payment


@admin.register(Payer)
class PayerAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "country", "siret", "public_body", "registration"]
    list_filter = ["kind", "public_body", "country"]
    search_fields = ["name", "siret", "registration__last_name", "registration__email"]
    raw_id_fields = ["registration"]


class ReadOnly(ReadOnlyAdmin):
    """Issued: nothing to add, change or delete here (credit notes are issued from the
    back-office's invoice page)."""

    exclude = ["file", "nonce"]

    @admin.display(description=_("PDF"))
    def download(self, document):
        name = (
            "backoffice:invoice_pdf"
            if isinstance(document, Invoice)
            else "backoffice:credit_note_pdf"
        )
        url = reverse(name, args=[document.edition.number, document.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download the PDF"))


@admin.register(Invoice)
class InvoiceAdmin(ReadOnly):
    list_display = ["number", "issued_on", "buyer_name", "gross_cents", "edition", "download"]
    list_filter = ["edition", "buyer_public_body"]
    search_fields = ["number", "buyer_name", "buyer_siret", "commitment_number"]


@admin.register(CreditNote)
class CreditNoteAdmin(ReadOnly):
    list_display = ["number", "issued_on", "invoice", "gross_cents", "edition", "download"]
    list_filter = ["edition"]
    search_fields = ["number", "invoice__number", "reason"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["invoice", "received_on", "amount_cents", "method", "reference", "cancelled_at"]
    list_filter = ["method", "invoice__edition"]
    search_fields = ["invoice__number", "reference"]
    exclude = ["nonce"]
