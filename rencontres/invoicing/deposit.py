"""Deposits: how invoices to French public payers reach Chorus Pro. A connector takes the
invoices (each a Factur-X PDF, the format Chorus Pro reads) and either hands back a file for
an organiser to deposit by hand, or sends them itself and says what came back.

The first connector, ManualZipDeposit, makes the ZIP an organiser uploads in Chorus Pro's
portal ("Déposer une facture", one file per invoice): the PDFs named by their number and a
list of what is in it. A connector for Chorus Pro's API (through PISTE, with the association's
technical account) is a class with the same `deposit` method, named in
settings.INVOICING["DEPOSIT_CONNECTOR"]; the pages, the services and the Deposit records do
not change. Every deposit is recorded (Deposit: which invoices, when, by whom, the answer)."""

import csv
import io
import zipfile
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from .lines import decimal
from .models import Deposit


@dataclass
class Outcome:
    """What a connector did: a file for the organiser to deposit (`content`, `filename`,
    `content_type`), or nothing to download and a `reference` of what the service received."""

    reference: str = ""
    content: bytes = b""
    filename: str = ""
    content_type: str = ""


class DepositConnector(Protocol):
    code: str

    def deposit(self, invoices) -> Outcome: ...


class ManualZipDeposit:
    """A ZIP of the invoices' Factur-X PDFs and a list of them (CSV), for Chorus Pro's portal."""

    code = "manual_zip"

    def deposit(self, invoices):
        buffer = io.BytesIO()
        rows = io.StringIO()
        writer = csv.writer(rows, delimiter=";")
        writer.writerow(["number", "date", "buyer", "siret", "service_code",
                         "commitment_number", "total_incl_vat", "currency"])  # fmt: skip
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for invoice in invoices:
                with invoice.file.open("rb") as pdf:
                    archive.writestr(invoice.file_name, pdf.read())
                writer.writerow([
                    invoice.number, invoice.issued_on.isoformat(), invoice.buyer_name,
                    invoice.buyer_siret, invoice.service_code, invoice.commitment_number,
                    decimal(invoice.gross_cents), invoice.currency,
                ])  # fmt: skip
            archive.writestr("invoices.csv", "\ufeff" + rows.getvalue())
        return Outcome(content=buffer.getvalue(), filename="chorus-pro.zip",
                       content_type="application/zip")  # fmt: skip


def connector():
    return import_string(settings.INVOICING["DEPOSIT_CONNECTOR"])()


def deposit(edition, invoices, actor):
    """Hand `invoices` to the configured connector and record it."""
    invoices = list(invoices)
    chosen = connector()
    outcome = chosen.deposit(invoices)
    record = Deposit.objects.create(
        edition=edition, connector=chosen.code, created_by=actor, reference=outcome.reference
    )
    record.invoices.set(invoices)
    return record, outcome
