"""The wording of each consent, shared by every form that asks for it and by the private page
where it is withdrawn. Change a wording only with a new PRIVACY_NOTICE_VERSION: each consent
record keeps the version the person saw."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import ConsentRecord

Consent = ConsentRecord.Consent

WORDING = {
    Consent.PRIVACY_NOTICE: _(
        "I have read the privacy notice above and agree that my data be used to organise the "
        "Meetings."
    ),
    Consent.DIRECTORY: _(
        "Show my profile in the participant directory, so that others can ask to meet me "
        "(optional)."
    ),
    Consent.PHOTOS: _("I agree to appear in photos and videos of the event (optional)."),
    Consent.NEXT_EDITIONS: _(
        "Invite me to the next editions of the Meetings, with my registration form filled in "
        "from this one (optional)."
    ),
}

# The registration field that holds each optional consent's current state, and its time.
REGISTRATION_FIELDS = {
    Consent.DIRECTORY: ("directory_opt_in", "directory_consent_at"),
    Consent.PHOTOS: ("photo_opt_in", "photo_consent_at"),
    Consent.NEXT_EDITIONS: ("next_editions_opt_in", "next_editions_consent_at"),
}


def wording_version():
    return settings.PRIVACY_NOTICE_VERSION
