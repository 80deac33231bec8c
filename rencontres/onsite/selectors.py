"""The queries the badge and check-in pages need: which doors scan badges and on which days,
whom the desk's search finds, who is in today."""

from django.db.models import Q

from rencontres.editions.models import Session
from rencontres.registration.models import Registration

from .models import ExtraCheckInDay


def entry_sessions(edition):
    """The sessions whose door scans badges (see Session.checks_entry)."""
    return Session.objects.filter(edition=edition, checks_entry=True).order_by("starts_at")


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
