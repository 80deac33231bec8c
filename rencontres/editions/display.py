"""What the programme shows of each session, formatted once in Python.

A programme has up to a few hundred sessions; resolving dozens of template variables and
filters per card made the page several times slower than formatting the same text here.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext

from rencontres.i18n import in_active_language

from .models import INTERPRETATION_LANGUAGES, Session, SessionSpeaker


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
    """One card per session of the `sessions` queryset, in its order, in three queries.

    Plain values rather than model instances: building 150 sessions with their speakers as
    objects cost more than the rest of the page.
    """
    rows = list(
        sessions.values(
            "pk", "kind", "title_fr", "title_en", "starts_at", "ends_at", "capacity",
            "registration_required", "interpretation_languages", "room__name",
        )
    )  # fmt: skip
    speakers = {}
    roles = {value: str(label).lower() for value, label in SessionSpeaker.Role.choices}
    appearances = (
        SessionSpeaker.objects.filter(session__in=sessions.values("pk"))
        .order_by("session_id", "order", "pk")
        .values_list("session_id", "role", "speaker__first_name", "speaker__last_name")
    )
    for session_id, role, first_name, last_name in appearances:
        name = f"{first_name} {last_name}".strip()
        if role != SessionSpeaker.Role.SPEAKER:
            name = f"{name} ({roles[role]})"
        speakers.setdefault(session_id, []).append(name)

    kinds = {value: str(label) for value, label in Session.Kind.choices}
    languages = {code: str(name) for code, name in INTERPRETATION_LANGUAGES}
    required = gettext("registration required")
    # Session URLs differ only by their id: reverse one and fill in the others.
    url_pattern = reverse("editions:session", args=[edition.number, 0]).removesuffix("0/")
    times = {}  # sessions share their start and end times: format each instant once

    def time_of(value):
        if value not in times:
            local = timezone.localtime(value)
            times[value] = (local.isoformat(), formats.time_format(local, "TIME_FORMAT"))
        return times[value]

    cards = []
    for row in rows:
        places = ""
        if row["capacity"]:
            places = ngettext("%(places)s place", "%(places)s places", row["capacity"]) % {
                "places": row["capacity"]
            }
            if row["registration_required"]:
                places = f"{places} · {required}"
        start_iso, start_time = time_of(row["starts_at"])
        end_iso, end_time = time_of(row["ends_at"])
        cards.append(
            SessionCard(
                pk=row["pk"],
                kind=row["kind"],
                kind_label=kinds[row["kind"]],
                title=in_active_language(row.get, "title"),
                url=f"{url_pattern}{row['pk']}/",
                starts_at=row["starts_at"],
                ends_at=row["ends_at"],
                start_iso=start_iso,
                end_iso=end_iso,
                start_time=start_time,
                end_time=end_time,
                room=row["room__name"] or "",
                interpretation=", ".join(
                    languages[code] for code in row["interpretation_languages"] if code in languages
                ),
                places=places,
                speakers=", ".join(speakers.get(row["pk"], [])),
            )
        )
    return cards
