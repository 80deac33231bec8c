"""System check: the seller's identifiers on every invoice are valid (start-up refuses
otherwise: an invoice with a wrong SIRET or IBAN is refused or paid to nobody)."""

from django.core.checks import Error, register

from .seller import problems


@register()
def check_seller(app_configs, **kwargs):
    return [Error(problem, id="invoicing.E001") for problem in problems()]
