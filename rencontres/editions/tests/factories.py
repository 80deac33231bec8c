"""Small builders for editions and their programme."""

import datetime
import itertools

from rencontres.editions.models import PARIS, Edition, Room, Session, SessionSpeaker, Speaker, Venue

numbers = itertools.count(100)


def paris(year, month, day, hour=0, minute=0, second=0):
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=PARIS)


def make_venue(**fields):
    defaults = {"name": "Centre de congrès", "address": "1 rue de la Paix", "city": "Paris"}
    return Venue.objects.create(**{**defaults, **fields})


def make_edition(**fields):
    number = fields.pop("number", None) or next(numbers)
    defaults = {
        "number": number,
        "title_fr": f"{number}es Rencontres",
        "title_en": f"{number}th Meetings",
        "theme_fr": "Diplomatie territoriale",
        "theme_en": "Territorial diplomacy",
        "starts_on": datetime.date(2027, 11, 4),
        "ends_on": datetime.date(2027, 11, 5),
        "registration_opens_at": paris(2027, 6, 1, 9),
        "registration_closes_at": paris(2027, 10, 17, 23, 59),
        "is_published": True,
    }
    return Edition.objects.create(**{**defaults, **fields})


def make_room(venue=None, **fields):
    venue = venue or make_venue()
    defaults = {"name": f"Salle {next(numbers)}", "seats": 50}
    return Room.objects.create(venue=venue, **{**defaults, **fields})


def make_session(edition, **fields):
    start = fields.pop("starts_at", None) or datetime.datetime.combine(
        edition.starts_on, datetime.time(9, 30), tzinfo=PARIS
    )
    defaults = {
        "kind": Session.Kind.WORKSHOP,
        "title_fr": "Atelier eau et assainissement",
        "title_en": "Water and sanitation workshop",
        "starts_at": start,
        "ends_at": start + datetime.timedelta(minutes=90),
    }
    return Session.objects.create(edition=edition, **{**defaults, **fields})


def make_speaker(**fields):
    defaults = {"first_name": "Awa", "last_name": "Ndiaye", "job_title_en": "Mayor"}
    return Speaker.objects.create(**{**defaults, **fields})


def add_speaker(session, speaker=None, role=SessionSpeaker.Role.SPEAKER):
    speaker = speaker or make_speaker()
    SessionSpeaker.objects.create(session=session, speaker=speaker, role=role)
    return speaker
