"""What the edition's meetings led to, in figures: for the organisers (every answer, by country
pair, theme and kind of authority) and for the public (counts, and the texts people allowed to
publish, with the two parties' countries only).

A meeting counts once its slot has ended (placed, not cancelled); it is held unless one of its
people says it did not take place; it is promising when one of them found it worth following
up or has a project planned; a cooperation started when one of them answers, at the
follow-up, that an agreement is signed or a project started."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from rencontres.privacy.registry import ERASED_EMAIL_DOMAIN
from rencontres.registration.models import Organisation

from .models import CooperationFollowUp, Meeting, MeetingRating, Profile, Theme
from .services.outcomes import not_held

Outcome = MeetingRating.Outcome
Status = CooperationFollowUp.Status


@dataclass
class MeetingOutcome:
    """One past meeting and what its people said."""

    meeting: Meeting
    countries: tuple  # the two parties' organisations' countries, sorted
    kinds: tuple  # their kinds of organisation, each once
    themes: tuple  # themes both parties' profiles name
    ratings: list = field(default_factory=list)
    follow_ups: list = field(default_factory=list)

    @property
    def held(self):
        return not any(rating.outcome == Outcome.NOT_HELD for rating in self.ratings)

    @property
    def promising(self):
        return self.held and any(
            rating.outcome in MeetingRating.PROMISING for rating in self.ratings
        )

    @property
    def answered(self):
        return [follow_up for follow_up in self.follow_ups if follow_up.status]

    @property
    def started(self):
        return any(follow_up.status in CooperationFollowUp.STARTED for follow_up in self.answered)


def past_meetings(edition, now=None):
    """[MeetingOutcome] of the edition's meetings whose slot has ended."""
    now = now or timezone.now()
    meetings = list(
        Meeting.objects.filter(edition=edition, cancelled_at__isnull=True, slot__ends_at__lte=now)
        .select_related(
            "slot", "table", "request__sender__organisation", "request__recipient__organisation"
        )
        .prefetch_related(
            Prefetch("ratings", queryset=MeetingRating.objects.exclude(outcome="")),
            Prefetch(
                "follow_ups",
                queryset=CooperationFollowUp.objects.select_related("registration__organisation"),
            ),
        )
        .order_by("slot__starts_at", "table__number", "pk")
    )
    parties = {p for m in meetings for p in (m.request.sender_id, m.request.recipient_id)}
    themes = defaultdict(set)
    for registration, theme in Profile.themes.through.objects.filter(
        profile__registration__in=parties
    ).values_list("profile__registration_id", "theme_id"):
        themes[registration].add(theme)
    names = {theme.pk: theme for theme in Theme.objects.all()}
    rows = []
    for meeting in meetings:
        sender, recipient = meeting.request.sender, meeting.request.recipient
        shared = themes[sender.pk] & themes[recipient.pk]
        rows.append(
            MeetingOutcome(
                meeting=meeting,
                countries=tuple(
                    sorted((sender.organisation.country.code, recipient.organisation.country.code))
                ),
                kinds=tuple(sorted({sender.organisation.kind, recipient.organisation.kind})),
                themes=tuple(sorted((names[pk] for pk in shared), key=lambda t: (t.order, t.code))),
                ratings=list(meeting.ratings.all()),
                follow_ups=list(meeting.follow_ups.all()),
            )
        )
    return rows


def country_name(code):
    from django_countries import countries

    return str(countries.name(code)) or code


def country_pair(codes):
    return " – ".join(country_name(code) for code in codes)


@dataclass
class Group:
    label: str
    meetings: int = 0
    held: int = 0
    promising: int = 0
    followed_up: int = 0
    started: int = 0

    def add(self, row):
        self.meetings += 1
        self.held += row.held
        self.promising += row.promising
        self.followed_up += bool(row.answered)
        self.started += row.started


def grouped(rows, keys_of, label_of):
    """[Group] of the rows, a row counted under each of its keys, the most held first."""
    groups = {}
    for row in rows:
        for key in keys_of(row):
            if key not in groups:
                groups[key] = Group(label_of(key))
            groups[key].add(row)
    return sorted(groups.values(), key=lambda group: (-group.held, -group.meetings, group.label))


def figures(edition, now=None):
    """Everything the organisers' outcomes page shows (and its export)."""
    rows = past_meetings(edition, now)
    ratings = Counter(rating.outcome for row in rows for rating in row.ratings)
    statuses = Counter(follow_up.status for row in rows for follow_up in row.answered)
    kinds = dict(Organisation.Kind.choices)
    no_theme = _("No shared theme")
    return {
        "rows": rows,
        "meetings": len(rows),
        "held": sum(row.held for row in rows),
        "not_held": sum(not row.held for row in rows),
        "rated": sum(bool(row.ratings) for row in rows),
        "promising": sum(row.promising for row in rows),
        "followed_up": sum(bool(row.answered) for row in rows),
        "started": sum(row.started for row in rows),
        "ratings": [(label, ratings[value]) for value, label in Outcome.choices],
        "statuses": [(label, statuses[value]) for value, label in Status.choices],
        "by_country_pair": grouped(rows, lambda row: [row.countries], country_pair),
        "by_theme": grouped(
            rows,
            lambda row: list(row.themes) or [None],
            lambda theme: no_theme if theme is None else str(theme),
        ),
        "by_kind": grouped(rows, lambda row: row.kinds, lambda kind: str(kinds.get(kind, kind))),
    }


def public_summary(edition, now=None):
    """What the next edition's home page may say of this one: the meetings held, the
    cooperations started, the countries involved, and the texts their authors allowed us to
    publish, each with the two countries only (no name, no organisation). A public page: a few
    queries counted by the database, whatever the number of meetings."""
    now = now or timezone.now()
    held = Meeting.objects.filter(
        edition=edition, cancelled_at__isnull=True, slot__ends_at__lte=now
    ).exclude(Exists(not_held()))
    started = held.filter(
        Exists(
            CooperationFollowUp.objects.filter(
                meeting=OuterRef("pk"), status__in=CooperationFollowUp.STARTED
            )
        )
    )
    countries = set(held.values_list("request__sender__organisation__country", flat=True))
    countries |= set(held.values_list("request__recipient__organisation__country", flat=True))
    published = (
        CooperationFollowUp.objects.filter(meeting__in=held, may_publish=True)
        .exclude(status="")
        .exclude(text="")
        .exclude(registration__email__endswith=f"@{ERASED_EMAIL_DOMAIN}")
        .values_list(
            "text",
            "meeting__request__sender__organisation__country",
            "meeting__request__recipient__organisation__country",
        )
        .order_by("answered_at", "pk")
    )
    return {
        "edition": edition,
        "held": held.count(),
        "started": started.count(),
        "countries": len(countries),
        "stories": [
            {"text": text, "countries": country_pair(sorted((one, other)))}
            for text, one, other in published
        ],
    }


def previous_edition_summary(edition):
    """The section of `edition`'s home page on what the edition before it led to (see
    rencontres.editions.sections), or None while nothing is to be said."""
    from rencontres.editions.models import Edition

    previous = (
        Edition.objects.published()
        .filter(starts_on__lt=edition.starts_on)
        .order_by("-starts_on")
        .first()
    )
    if previous is None:
        return None
    summary = public_summary(previous)
    if not summary["held"]:
        return None
    return {"template": "networking/_previous_outcomes.html", **summary}
