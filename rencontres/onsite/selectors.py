"""The queries the badge and check-in pages need: which doors scan badges and on which days."""

from rencontres.editions.models import Session

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
