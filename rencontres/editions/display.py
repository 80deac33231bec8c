"""What the programme shows of each session, formatted once in Python.

A programme has up to a few hundred sessions; resolving dozens of template variables and
filters per card made the page several times slower than formatting the same text here.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext

from .models import Session, SessionSpeaker


@dataclass(frozen=True)
class SessionCard:
    pk: int
    kind: str
    kind_label: str
    title: str
    url: str
    starts_at: object
    ends_at: object
    start_iso: str
    end_iso: str
    start_time: str
    end_time: str
    room: str
    interpretation: str
    places: str
    speakers: str


def card_labels():
    """The cards' field names, translated once per page."""
    return {
        "time": gettext("Time"),
        "room": gettext("Room"),
        "interpretation": gettext("Interpretation"),
        "places": gettext("Places"),
        "speakers": gettext("Speakers:"),
    }


def session_cards(sessions, edition):
    """One card per session; `sessions` come from `Session.objects.for_programme()`."""
    kinds = {value: str(label) for value, label in Session.Kind.choices}
    roles = {value: str(label).lower() for value, label in SessionSpeaker.Role.choices}
    required = gettext("registration required")
    times = {}  # sessions share their start and end times: format each instant once

    def time_of(value):
        if value not in times:
            local = timezone.localtime(value)
            times[value] = (local.isoformat(), formats.time_format(local, "TIME_FORMAT"))
        return times[value]

    cards = []
    for session in sessions:
        places = ""
        if session.capacity:
            places = ngettext("%(places)s place", "%(places)s places", session.capacity) % {
                "places": session.capacity
            }
            if session.registration_required:
                places = f"{places} · {required}"
        speakers = ", ".join(
            appearance.speaker.full_name
            if appearance.role == SessionSpeaker.Role.SPEAKER
            else f"{appearance.speaker.full_name} ({roles[appearance.role]})"
            for appearance in session.appearances.all()
        )
        cards.append(
            SessionCard(
                pk=session.pk,
                kind=session.kind,
                kind_label=kinds[session.kind],
                title=session.title,
                url=reverse("editions:session", args=[edition.number, session.pk]),
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                start_iso=time_of(session.starts_at)[0],
                end_iso=time_of(session.ends_at)[0],
                start_time=time_of(session.starts_at)[1],
                end_time=time_of(session.ends_at)[1],
                room=session.room.name if session.room else "",
                interpretation=", ".join(session.interpretation_names),
                places=places,
                speakers=speakers,
            )
        )
    return cards
