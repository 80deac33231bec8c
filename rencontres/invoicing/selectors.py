"""Who pays for whom, and what is invoiced: the queries the pages, the services and the
batch share."""

from django.db.models import Exists, F, OuterRef, Prefetch, Q, Sum, Value
from django.db.models.functions import Coalesce

from rencontres.registration.models import Registration

from .models import CreditNote, Invoice, InvoicedRegistration, Payer, Payment


def payer_of(registration):
    """The payer of a registration: its own, else its delegation head's when the head pays
    for the whole delegation; None when nobody said."""
    own = Payer.objects.filter(registration=registration).first()
    if own is not None or not registration.delegation_id:
        return own
    return Payer.objects.filter(
        registration__delegation_id=registration.delegation_id,
        registration__is_delegation_head=True,
        covers_delegation=True,
    ).first()


def covered_by(payer):
    """The registrations `payer` pays for: its own, and with covers_delegation, the members
    of the delegation who named no payer of their own."""
    registration = payer.registration
    people = Registration.objects.filter(pk=registration.pk)
    if payer.covers_delegation and registration.delegation_id:
        people = Registration.objects.filter(
            Q(pk=registration.pk) | Q(delegation_id=registration.delegation_id, payer__isnull=True)
        )
    return people.order_by("-is_delegation_head", "last_name", "first_name", "pk")


def open_invoices():
    """Invoices not wholly taken back by credit notes."""
    return Invoice.objects.annotate(
        credited=Coalesce(Sum("credit_notes__gross_cents"), Value(0))
    ).filter(Q(gross_cents__gt=F("credited")) | Q(gross_cents=0))


def invoiced():
    """A condition on registrations: billed by an invoice still open (one cancelled by credit
    notes leaves its registrations to invoice again)."""
    return Exists(
        InvoicedRegistration.objects.filter(
            registration=OuterRef("pk"), invoice__in=open_invoices().values("pk")
        )
    )


def with_credit_notes(invoices):
    """The invoices with what their state is derived from (Invoice.state): their credit notes
    and their payments, in two queries however many invoices."""
    return invoices.prefetch_related(
        Prefetch("credit_notes", queryset=CreditNote.objects.order_by("year", "sequence")),
        Prefetch("payments", queryset=Payment.objects.select_related("recorded_by")),
    )


def in_state(invoices, state, today=None):
    """The invoices (a queryset of with_credit_notes) whose state is `state`."""
    return [invoice for invoice in invoices if invoice.state(today) == state]


def invoices_of(registration):
    """The invoices billing a registration, newest first, with their credit notes."""
    return with_credit_notes(Invoice.objects.filter(registrations=registration)).order_by(
        "-year", "-sequence"
    )


def for_overview(edition):
    """The edition's invoices with their state's amounts read (with_credit_notes), each with
    the registration it is counted under on the overview (`counted_as`: the payer's own when
    it bills it, else the first it bills), whose category and organisation are read."""
    invoices = with_credit_notes(Invoice.objects.filter(edition=edition)).prefetch_related(
        Prefetch(
            "registrations",
            queryset=Registration.objects.select_related("category", "organisation").order_by(
                "-is_delegation_head", "pk"
            ),
        ),
        "payer",
    )
    found = []
    for invoice in invoices:
        people = list(invoice.registrations.all())
        own = [p for p in people if invoice.payer and p.pk == invoice.payer.registration_id]
        invoice.counted_as = (own or people or [None])[0]
        found.append(invoice)
    return found
