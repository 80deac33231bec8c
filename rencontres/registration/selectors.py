"""The queries the registration pages need."""

import hmac

from django.db.models import Count, Q

from rencontres.editions.models import Session

from .models import Registration, SessionChoice, takes_a_place


def places_left(edition, sessions=None):
    """{session id: places left} for the edition's sessions (or these) that have a capacity."""
    if sessions is None:
        sessions = Session.objects.filter(edition=edition)
    sessions = sessions.filter(capacity__isnull=False).annotate(
        taken=Count("choices", filter=takes_a_place("choices__"))
    )
    return {session.pk: max(0, session.capacity - session.taken) for session in sessions}


# On a session's waiting list: a waiting choice of someone who holds a place in the edition
# (who waits for that first waits for nothing else yet).
WAITING = Q(
    status=SessionChoice.Status.WAITLISTED, registration__status=Registration.Status.CONFIRMED
)


def waiting_list(session):
    """A session's waiting list in its order: first come, first served."""
    return (
        SessionChoice.objects.filter(WAITING, session=session)
        .select_related("registration", "session")
        .order_by("created_at", "pk")
    )


def waiting_counts(sessions):
    """{session id: length of its waiting list}."""
    rows = (
        SessionChoice.objects.filter(WAITING, session__in=sessions)
        .values("session")
        .annotate(count=Count("pk"))
    )
    return {row["session"]: row["count"] for row in rows}


def secret_matches(expected, given):
    """Whether a secret typed in a link is the expected one, compared in constant time so that
    its characters cannot be guessed one by one; as bytes, since compare_digest refuses str
    with non-ASCII characters, which anyone can type."""
    return hmac.compare_digest(expected.encode(), given.encode("utf-8", "surrogatepass"))


def registration_by_link(public_id, secret):
    """The registration a private link opens, or None."""
    registration = (
        Registration.objects.select_related("edition", "organisation", "category", "delegation")
        .filter(public_id=public_id)
        .first()
    )
    if registration is None or not secret_matches(registration.secret, secret):
        return None
    return registration


def registration_by_feed(public_id, feed, token):
    """The registration whose calendar feed `feed` this token opens, or None."""
    registration = (
        Registration.objects.select_related("edition").filter(public_id=public_id).first()
    )
    if registration is None or not secret_matches(registration.feed_token(feed), token):
        return None
    return registration


def choices_of(registration):
    return registration.choices.select_related("session", "session__room").order_by(
        "session__starts_at"
    )
