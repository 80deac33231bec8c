"""Builders for the project exchange: people with profiles, slots and tables."""

import datetime

from rencontres.editions.tests.factories import paris
from rencontres.networking import services
from rencontres.networking.models import Slot, Theme
from rencontres.networking.themes import add_default_themes
from rencontres.registration.tests.factories import open_edition, organisation, registered

__all__ = ["delivered_to", "open_edition", "person", "slots", "tables", "theme"]


def theme(code):
    found = Theme.objects.filter(code=code).first()
    if found is None:
        # A transactional test flushed the database, and the migration's themes with it.
        add_default_themes(Theme)
        found = Theme.objects.get(code=code)
    return found


def person(
    edition,
    first_name="Awa",
    last_name=None,
    country="FR",
    kind="commune",
    organisation_name=None,
    themes=(),
    countries=(),
    listed=True,
    **profile,
):
    """A confirmed registrant with a profile (listed in the directory unless told not)."""
    registration = registered(
        edition,
        first_name=first_name,
        last_name=last_name or f"{first_name}son",
        organisation=organisation(organisation_name or f"Ville de {first_name}", country, kind),
        directory_opt_in=listed,
    )
    services.save_profile(
        registration,
        {
            "themes": [theme(code) for code in themes],
            "countries": list(countries),
            "languages": profile.pop("languages", ["fr"]),
            **profile,
        },
    )
    return registration


def slots(edition, count=4, day=(2027, 11, 4), hour=9, minutes=20):
    start = paris(*day, hour)
    length = datetime.timedelta(minutes=minutes)
    services.add_slots(
        edition, [(start + i * length, start + (i + 1) * length) for i in range(count)]
    )
    return list(Slot.objects.filter(edition=edition))


def tables(edition, count=2, location="Hall B"):
    services.set_tables(edition, count, location)


def delivered_to(email, template):
    from rencontres.mail.models import OutgoingEmail

    return OutgoingEmail.objects.filter(recipient=email, template=template).count()
