"""An edition whose days include today: the desk checks people in only on the edition's days."""

import datetime

from django.utils import timezone

from rencontres.registration.tests.factories import open_edition


def running_edition(**fields):
    """Open for registration, and on from yesterday to tomorrow (Paris time)."""
    today = timezone.localdate()
    return open_edition(
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=1),
        **fields,
    )
