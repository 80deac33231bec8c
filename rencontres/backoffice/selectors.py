"""The registrations list of the back-office: filters, search and sort, in one queryset. The
same filters choose what an export holds and whom a mailing goes to."""

from django.db.models import Exists, OuterRef, Q

from rencontres.onsite.models import CheckIn
from rencontres.registration.models import Registration

SORTS = {
    "name": ["last_name", "first_name", "pk"],
    "-created": ["-created_at", "-pk"],
    "created": ["created_at", "pk"],
    "organisation": ["organisation__name", "last_name", "pk"],
    "country": ["organisation__country", "last_name", "pk"],
    "status": ["status", "last_name", "pk"],
}


def without_erased(people):
    """An erased person (a past edition's participant keeps their status) is a line of
    statistics: no name, no address to write to."""
    from rencontres.privacy.registry import ERASED_EMAIL_DOMAIN

    return people.exclude(email__endswith=f"@{ERASED_EMAIL_DOMAIN}")


def matching(rows, query, *fields):
    """The rows in which each word of the search box (the first five) is found in one of
    `fields`, whatever its case: the search of every list of the back-office."""
    for word in query.split()[:5]:
        found = Q()
        for field in fields:
            found |= Q(**{f"{field}__icontains": word})
        rows = rows.filter(found)
    return rows


# The status filter's values beyond the statuses themselves: "" (the default) is the people
# holding or awaiting a place, ALL_STATUSES everyone.
ALL_STATUSES = "all"


def registrations(
    edition,
    status="",
    statuses=None,
    category=None,
    country=(),
    kind="",
    session=None,
    checked_in="",
    query="",
    sort="-created",
):
    people = (
        Registration.objects.filter(edition=edition)
        .select_related("organisation", "category", "delegation")
        .annotate(
            checked_in=Exists(CheckIn.objects.filter(registration=OuterRef("pk"), session=None))
        )
    )
    if statuses is not None:  # a mailing's recipients: the statuses ticked
        people = without_erased(people.filter(status__in=statuses))
    elif not status:
        people = without_erased(people.holding_or_awaiting_a_place())
    elif status != ALL_STATUSES:
        people = people.filter(status=status)
    if category is not None:
        people = people.filter(category=category)
    if country:  # codes (a mailing kept before several could be chosen: one code)
        people = people.filter(
            organisation__country__in=[country] if isinstance(country, str) else country
        )
    if kind:
        people = people.filter(organisation__kind=kind)
    if session is not None:
        people = people.filter(choices__session=session)
    if checked_in == "yes":
        people = people.filter(checked_in=True)
    elif checked_in == "no":
        people = people.filter(checked_in=False)
    people = matching(people, query, "first_name", "last_name", "email", "organisation__name")
    return people.order_by(*SORTS.get(sort, SORTS["-created"]))
