"""Parts of the registration form that other apps add (the payer, from the invoicing app),
named in settings.REGISTRATION_FORM_PARTS: the registration app imports none of them (they sit
above it), and calls each the same way. A part has `template_name`, `shown` (whether the form
shows it at all), `forms` (those to list in the error summary), `is_valid()`, `clear_errors()`
and `save(registration)`, called in the transaction that records the registration. Each is
given the invitation the form was opened with (None on the public form)."""

from django.conf import settings
from django.utils.module_loading import import_string


def form_parts(data, *, edition, form, delegation=False, invitation=None):
    return [
        import_string(path)(
            data, edition=edition, form=form, delegation=delegation, invitation=invitation
        )
        for path in settings.REGISTRATION_FORM_PARTS
    ]
