"""The consents a registration holds now. Changing one (the field, its time, the consent record,
the history) is registration.services.set_consent, for every page that changes one."""

from ..consents import REGISTRATION_FIELDS


def current_consents(registration):
    """[(consent, given, when)] for the optional consents, as the registration holds them."""
    return [
        (consent, getattr(registration, flag), getattr(registration, when))
        for consent, (flag, when) in REGISTRATION_FIELDS.items()
    ]
