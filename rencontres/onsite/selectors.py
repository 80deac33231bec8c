"""The queries the badge and check-in pages need: which doors scan badges and on which days,
whom the desk's search finds, who is in today, the list a desk keeps for offline use."""

import dataclasses
import datetime
import hashlib
import json

from django.db.models import Q
from django.utils import timezone

from rencontres.editions.models import Session
from rencontres.privacy.registry import ERASED_EMAIL_DOMAIN
from rencontres.registration.models import Registration, SessionChoice

from .models import ExtraCheckInDay
from .tokens import badge_token, token_hash


def entry_sessions(edition):
    """The sessions whose door scans badges (see Session.checks_entry)."""
    return Session.objects.filter(edition=edition, checks_entry=True).order_by("starts_at")


def entry_sessions_by_key(edition):
    """The same, by the key a scan names them with."""
    return {str(session.pk): session for session in entry_sessions(edition)}


def check_in_days(edition):
    """The days check-ins are accepted: the edition's, and those an organiser opened."""
    extra = ExtraCheckInDay.objects.filter(edition=edition).values_list("day", flat=True)
    return sorted({*edition.days, *extra})


def accepts_check_ins(edition, day):
    return edition.starts_on <= day <= edition.ends_on or (
        ExtraCheckInDay.objects.filter(edition=edition, day=day).exists()
    )


def extra_day(edition, day):
    """The organiser's switch for `day`, if it is on (None on the edition's own days)."""
    return (
        ExtraCheckInDay.objects.filter(edition=edition, day=day)
        .select_related("switched_on_by")
        .first()
    )


# The desk's search reads the first words typed and shows the first people found.
SEARCH_WORDS = 4
SEARCH_RESULTS = 30


def desk_search(edition, query):
    """The edition's people the desk's search finds, whatever their status (the desk shows
    it: staff tell someone cancelled why they cannot come in): each word of `query` in the
    first or last name, the organisation or the address, by name."""
    words = Q()
    for word in query.split()[:SEARCH_WORDS]:
        words &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(organisation__name__icontains=word)
            | Q(email__icontains=word)
        )
    return list(
        Registration.objects.filter(words, edition=edition)
        .select_related("category", "organisation")
        .order_by("last_name", "first_name")[:SEARCH_RESULTS]
    )


def checked_in(edition, day):
    """The edition's registrations checked in at the venue's door (not a session's) on `day`."""
    return edition.registrations.filter(check_ins__day=day, check_ins__session=None)


# How long a desk may keep the list: a day at most, and never past the last day check-ins are
# accepted.
LIST_KEPT = datetime.timedelta(hours=24)


@dataclasses.dataclass(frozen=True)
class OfflineList:
    content: dict  # days, sessions, categories, people: see offline_list
    version: str  # changes with the content and the day (the desk's ETag)
    last_day: datetime.date  # the last day check-ins are accepted

    def expires_at(self, now):
        """Kept until the end of the last day check-ins are accepted (an extra day after the
        edition too), and never more than LIST_KEPT."""
        end = datetime.datetime.combine(
            self.last_day + datetime.timedelta(days=1),
            datetime.time(),
            timezone.get_current_timezone(),
        )
        return min(now + LIST_KEPT, max(end, now))


def offline_list(edition, today):
    """What a desk needs to check badges without network, and nothing more: for each
    confirmed participant the hash of their badge's token, their name (to greet them), their
    category, whether they are in `today` and the sessions they hold a place in. No e-mail,
    no organisation, no token."""
    people = (
        Registration.objects.filter(edition=edition, status=Registration.Status.CONFIRMED)
        .exclude(email__endswith=f"@{ERASED_EMAIL_DOMAIN}")  # purged after the event
        .select_related("category", "edition")
        .only(
            "public_id",
            "first_name",
            "last_name",
            "category__name_fr",
            "category__name_en",
            "edition__number",
        )
        .order_by("pk")
    )
    inside = set(checked_in(edition, today).values_list("public_id", flat=True))
    sessions = list(entry_sessions(edition))
    places = {}
    for person, session in (
        SessionChoice.objects.filter(session__in=sessions)
        .taking_a_place(held=False)
        .values_list("registration_id", "session_id")
    ):
        places.setdefault(person, []).append(session)
    categories = {}
    listed = {
        token_hash(badge_token(person)): [
            person.full_name,
            categories.setdefault(person.category.name, len(categories)),
            int(person.public_id in inside),
            sorted(places.get(person.pk, [])),
        ]
        for person in people
    }
    days = check_in_days(edition)
    content = {
        # The days the desk may check people in, offline too.
        "days": [day.isoformat() for day in days],
        # For each session that scans badges: whether every participant may come in.
        "sessions": {str(s.pk): not s.registration_required for s in sessions},
        "categories": list(categories),
        "people": listed,
    }
    version = hashlib.sha256(
        json.dumps([today.isoformat(), content], sort_keys=True).encode()
    ).hexdigest()[:32]
    return OfflineList(content, version, days[-1])
