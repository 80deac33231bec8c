"""A registrant's sessions as an iCalendar file, attached to the confirmation e-mail."""

from django.conf import settings
from django.utils import translation

from rencontres.editions.ical import calendar_for
from rencontres.editions.models import Session


def registration_calendar(registration):
    sessions = (
        Session.objects.filter(choices__registration=registration, choices__status="confirmed")
        .for_programme()
        .select_related("edition")
        .order_by("starts_at")
    )
    with translation.override(registration.language):
        return calendar_for(registration.edition, sessions, settings.SITE_URL)
