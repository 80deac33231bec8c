"""The invoicing app's models: who pays and what was invoiced (documents.py)."""

from .documents import (
    RETENTION_YEARS,
    AlreadyIssued,
    CreditNote,
    CreditNoteLine,
    Deposit,
    Invoice,
    InvoicedRegistration,
    InvoiceLine,
    InvoiceRun,
    Issued,
    IssuedLine,
    IssuedQuerySet,
    Payer,
    Sequence,
    refuse_deletion,
)

__all__ = [
    "RETENTION_YEARS", "AlreadyIssued", "CreditNote", "CreditNoteLine", "Deposit", "Invoice",
    "InvoiceLine", "InvoiceRun", "InvoicedRegistration", "Issued", "IssuedLine",
    "IssuedQuerySet", "Payer", "Sequence", "refuse_deletion",
]  # fmt: skip
