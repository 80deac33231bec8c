"""What a registrant reads of their payment on their private page (the registration app's
template loads it; its Python imports nothing of invoicing)."""

import datetime

from django import template

from rencontres.invoicing import selectors

register = template.Library()


@register.inclusion_tag("invoicing/_before_event.html")
def payment_before_event(registration):
    """For a category paid before the event, and a payer other than a French public body:
    whether the invoice is issued, by when it is due, and whether it is paid."""
    if not registration.category.payment_before_event or not registration.is_active:
        return {"shown": False}
    payer = selectors.payer_of(registration)
    if payer is not None and payer.public_body:
        return {"shown": False}
    # The newest invoice that credit notes did not take back: paid or not.
    invoice = next((one for one in selectors.invoices_of(registration) if one.owed_cents > 0), None)
    return {
        "shown": True,
        "registration": registration,
        "payer": payer,
        "invoice": invoice,
        "state": invoice.state() if invoice else None,
        "by": registration.edition.starts_on - datetime.timedelta(days=1),
    }
