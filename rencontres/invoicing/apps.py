from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicingConfig(AppConfig):
    name = "rencontres.invoicing"
    verbose_name = _("Payers and invoices")

    def ready(self):
        from . import checks, signals  # noqa: F401  (the seller's checks; issued stays issued)
