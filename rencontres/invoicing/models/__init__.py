"""The invoicing app's models: who pays and what was invoiced (documents.py), what was
received and how it was found or asked for (payments.py)."""

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
from .payments import BankStatement, Payment, PaymentReminder, ReminderSchedule, StatementLine

__all__ = [
    "RETENTION_YEARS", "AlreadyIssued", "BankStatement", "CreditNote", "CreditNoteLine",
    "Deposit", "Invoice", "InvoiceLine", "InvoiceRun", "InvoicedRegistration", "Issued",
    "IssuedLine", "IssuedQuerySet", "Payer", "Payment", "PaymentReminder", "ReminderSchedule",
    "Sequence", "StatementLine", "refuse_deletion",
]  # fmt: skip
