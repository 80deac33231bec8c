"""A registrant's sessions as an iCalendar file, attached to the confirmation e-mail."""

from django.conf import settings
from django.db.models import Q
from django.utils import translation

from rencontres.editions.ical import calendar_for
from rencontres.editions.models import Session


def registration_calendar(registration):
    held = Session.objects.filter(
        choices__registration=registration, choices__status="confirmed"
    ).values("pk")
    starred = registration.starred_sessions.values("pk")
    sessions = (
        Session.objects.filter(Q(pk__in=held) | Q(pk__in=starred))
        .for_programme()
        .select_related("edition")
        .order_by("starts_at")
    )
    with translation.override(registration.language):
        return calendar_for(registration.edition, sessions, settings.SITE_URL)
