"""The registrations list of the back-office: filters, search and sort, in one queryset. The
same filters choose what an export holds and whom a mailing goes to."""

import re

from django.db.models import Exists, OuterRef, Q

from rencontres.onsite.models import CheckIn
from rencontres.privacy.registry import ERASED_EMAIL_DOMAIN
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
    return people.exclude(email__endswith=f"@{ERASED_EMAIL_DOMAIN}")


# A registration's (or an invitation's) public id, as its private link and badge carry it.
PUBLIC_ID = re.compile(r"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}", re.IGNORECASE)


def matching(rows, query, *fields):
    """The rows in which each word of the search box (the first five) is found in one of
    `fields`, whatever its case: the search of every list of the back-office. A public id
    (a private link or a badge's address pasted in) finds that one row."""
    for word in query.split()[:5]:
        public_id = PUBLIC_ID.search(word)
        if public_id:
            rows = rows.filter(public_id=public_id.group(0).lower())
            continue
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
