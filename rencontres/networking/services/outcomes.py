"""What came of the meetings: after each one, both parties are asked how it went (one click in
an e-mail, or from their agenda); on the edition's follow-up date, the people of the meetings
found worth following up are asked where the cooperation stands.

The links in those e-mails carry a signed token (its own salt, valid for a year) naming the
meeting, the person and, for the first question, the answer clicked: opening one shows the
answer to confirm and changes nothing (mail gateways open links to scan them); only the
form's POST saves. What is due at a given time is a function of that time alone
(`ratings_due(now)`, `follow_ups_due(now)`), so that the schedule is tested with a frozen clock;
each person is asked once per meeting, the row claimed by a conditional update as
rencontres.onsite.certificates.email_all does."""

import datetime

from dateutil.relativedelta import relativedelta
from django.core import signing
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation

from rencontres.editions.models import Edition
from rencontres.privacy.registry import ERASED_EMAIL_DOMAIN
from rencontres.registration.models import Registration
from rencontres.registration.services.messages import absolute

from ..models import CooperationFollowUp, FollowUpDate, Meeting, MeetingRating, ScheduleRun
from .common import notify, person_summary

RATING_SALT = "rencontres.networking.meeting-rating"
FOLLOW_UP_SALT = "rencontres.networking.cooperation-follow-up"
# A link stays good for a year: people answer the follow-up months after the event, and the
# first question's e-mail may be opened late too.
TOKEN_MAX_AGE = datetime.timedelta(days=365)
# Meetings that ended longer ago than this are not asked about any more (a late start of the
# task, or its first run, does not write to the people of past editions).
RATING_WINDOW = datetime.timedelta(days=30)
# The follow-up comes this long after the edition's last day, unless the organisers move it.
FOLLOW_UP_DELAY = relativedelta(months=6)

Outcome = MeetingRating.Outcome
Status = CooperationFollowUp.Status


# Dates --------------------------------------------------------------------------------------


def default_follow_up_date(edition):
    return edition.ends_on + FOLLOW_UP_DELAY


def follow_up_date(edition):
    """The day the edition's meetings are asked what came of them."""
    stored = FollowUpDate.objects.filter(edition=edition).values_list("day", flat=True).first()
    return stored or default_follow_up_date(edition)


def set_follow_up_date(edition, day):
    """Move the follow-up (the caller audits it). Returns the day before."""
    before = follow_up_date(edition)
    FollowUpDate.objects.update_or_create(edition=edition, defaults={"day": day})
    return before


# Tokens -------------------------------------------------------------------------------------


def rating_token(meeting, registration, outcome):
    return signing.TimestampSigner(salt=RATING_SALT).sign_object(
        [meeting.pk, registration.pk, outcome]
    )


def follow_up_token(meeting, registration):
    return signing.TimestampSigner(salt=FOLLOW_UP_SALT).sign_object([meeting.pk, registration.pk])


def unsigned(token, salt):
    try:
        return signing.TimestampSigner(salt=salt).unsign_object(
            token, max_age=TOKEN_MAX_AGE.total_seconds()
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None


def party(meeting_id, registration_id):
    """(meeting, registration) when the person is still one of the meeting's people and can be
    asked (confirmed, not erased), else None."""
    if not isinstance(meeting_id, int) or not isinstance(registration_id, int):
        return None
    meeting = (
        Meeting.objects.select_related("slot", "edition", "request")
        .filter(pk=meeting_id, participants=registration_id)
        .first()
    )
    if meeting is None:
        return None
    registration = (
        reachable(Registration.objects.filter(pk=registration_id))
        .select_related("edition", "organisation")
        .first()
    )
    return None if registration is None else (meeting, registration)


def from_rating_token(token):
    """(meeting, registration, outcome) that a rating link names, or None: altered, expired,
    or naming a meeting the person is not (or no longer) part of."""
    value = unsigned(token, RATING_SALT)
    if not isinstance(value, list) or len(value) != 3 or value[2] not in Outcome.values:
        return None
    found = party(value[0], value[1])
    return None if found is None else (*found, value[2])


def from_follow_up_token(token):
    """(meeting, registration) that a follow-up link names, when that person was asked."""
    value = unsigned(token, FOLLOW_UP_SALT)
    if not isinstance(value, list) or len(value) != 2:
        return None
    found = party(value[0], value[1])
    if (
        found is None
        or not CooperationFollowUp.objects.filter(
            meeting=found[0], registration=found[1], asked_at__isnull=False
        ).exists()
    ):
        return None
    return found


def link(registration, name, token):
    with translation.override(registration.language):
        return absolute(reverse(name, args=[token]))


# Who is asked when ----------------------------------------------------------------------------


def reachable(registrations):
    """The people who can still be asked: not cancelled (or rejected), not erased."""
    return registrations.filter(status=Registration.Status.CONFIRMED).exclude(
        email__endswith=f"@{ERASED_EMAIL_DOMAIN}"
    )


def parties_of(meetings, asked):
    """[(meeting, registration)] of the meetings' reachable people not asked yet (`asked`:
    the model whose row says they were)."""
    people = reachable(Registration.objects.all())
    rows = (
        Meeting.participants.through.objects.filter(meeting__in=meetings, registration__in=people)
        .exclude(
            Exists(
                asked.objects.filter(
                    meeting=OuterRef("meeting_id"), registration=OuterRef("registration_id")
                ).filter(Q(asked_at__isnull=False) | ~Q(**{answer_field(asked): ""}))
            )
        )
        .select_related("meeting__slot", "meeting__edition", "registration__edition")
        .order_by("meeting_id", "registration_id")
    )
    return [(row.meeting, row.registration) for row in rows]


def answer_field(model):
    return "outcome" if model is MeetingRating else "status"


def ratings_due(now):
    """[(meeting, registration)] to be asked at `now` how the meeting went: the active meetings
    of a published schedule whose slot ended (in the last RATING_WINDOW), each person once."""
    published = ScheduleRun.objects.filter(published_at__lte=now).values("edition")
    meetings = Meeting.objects.filter(
        edition__in=published,
        cancelled_at__isnull=True,
        slot__ends_at__lte=now,
        slot__ends_at__gt=now - RATING_WINDOW,
    )
    return parties_of(meetings, MeetingRating)


def not_held():
    """Meetings that one of their people says did not take place: counted as not held."""
    return MeetingRating.objects.filter(meeting=OuterRef("pk"), outcome=Outcome.NOT_HELD)


def promising_meetings(editions):
    """The meetings of `editions` that one party found worth following up (or with a project
    planned), and that nobody says did not take place."""
    return (
        Meeting.objects.filter(edition__in=editions, cancelled_at__isnull=True)
        .filter(
            Exists(
                MeetingRating.objects.filter(
                    meeting=OuterRef("pk"), outcome__in=MeetingRating.PROMISING
                )
            )
        )
        .exclude(Exists(not_held()))
    )


def follow_ups_due(now):
    """[(meeting, registration)] to be asked at `now` what came of the meeting: on and after the
    edition's follow-up date (Paris time), the people of its promising meetings, once."""
    today = timezone.localdate(now)
    rated = MeetingRating.objects.filter(outcome__in=MeetingRating.PROMISING).values(
        "meeting__edition"
    )
    editions = [
        edition
        for edition in Edition.objects.filter(pk__in=rated).select_related("follow_up_date")
        if stored_or_default(edition) <= today
    ]
    if not editions:
        return []
    return parties_of(promising_meetings(editions), CooperationFollowUp)


def stored_or_default(edition):
    try:
        return edition.follow_up_date.day
    except FollowUpDate.DoesNotExist:
        return default_follow_up_date(edition)


# Asking -------------------------------------------------------------------------------------


def others_of(meeting, registration):
    return ", ".join(
        person_summary(person)
        for person in meeting.participants.select_related("organisation").order_by("pk")
        if person.pk != registration.pk
    )


def when(meeting, registration):
    from django.utils import formats

    with translation.override(registration.language):
        return formats.date_format(timezone.localtime(meeting.slot.starts_at), "DATETIME_FORMAT")


def claim(model, meeting, registration, now):
    """Whether this call is the one that asks the person (a second run, or two at once, finds
    the row claimed and asks nobody)."""
    row, _created = model.objects.get_or_create(meeting=meeting, registration=registration)
    return model.objects.filter(pk=row.pk, asked_at=None, **{answer_field(model): ""}).update(
        asked_at=now
    )


def ask_ratings(now=None):
    """E-mail the first question to everyone due at `now`. Returns how many were asked."""
    now = now or timezone.now()
    asked = 0
    for meeting, registration in ratings_due(now):
        with transaction.atomic():
            if not claim(MeetingRating, meeting, registration, now):
                continue
            notify(
                registration,
                "meeting_rating_request",
                other=others_of(meeting, registration),
                when=when(meeting, registration),
                links={
                    outcome: link(
                        registration,
                        "networking:rate_link",
                        rating_token(meeting, registration, outcome),
                    )
                    for outcome in Outcome.values
                },
            )
        asked += 1
    return asked


def ask_follow_ups(now=None):
    """E-mail the follow-up question to everyone due at `now`. Returns how many were asked."""
    now = now or timezone.now()
    asked = 0
    for meeting, registration in follow_ups_due(now):
        with transaction.atomic():
            if not claim(CooperationFollowUp, meeting, registration, now):
                continue
            notify(
                registration,
                "cooperation_follow_up_request",
                other=others_of(meeting, registration),
                when=when(meeting, registration),
                follow_up_link=link(
                    registration,
                    "networking:follow_up_link",
                    follow_up_token(meeting, registration),
                ),
            )
        asked += 1
    return asked


def ask_due(now=None):
    """Both questions, to everyone due at `now`: (ratings asked, follow-ups asked)."""
    now = now or timezone.now()
    return ask_ratings(now), ask_follow_ups(now)


# Answering ----------------------------------------------------------------------------------


def can_rate(meeting, now=None):
    """A meeting is rated once it has begun, if it was placed and not cancelled."""
    now = now or timezone.now()
    return meeting.is_active and meeting.slot is not None and meeting.slot.starts_at <= now


def mark_rateable(registration, meetings, now=None):
    """Give each of the person's meetings `rateable` and `my_outcome` (its label, or "") for
    the agenda, which links the past ones to their rating page."""
    answers = dict(
        MeetingRating.objects.filter(registration=registration, meeting__in=meetings)
        .exclude(outcome="")
        .values_list("meeting_id", "outcome")
    )
    labels = dict(Outcome.choices)
    for meeting in meetings:
        meeting.rateable = can_rate(meeting, now)
        meeting.my_outcome = labels.get(answers.get(meeting.pk), "")


def rate(meeting, registration, outcome, now=None):
    """Record (or change) the person's answer. A second click saves the same thing again."""
    if outcome not in Outcome.values:
        raise ValueError(outcome)
    now = now or timezone.now()
    rating, _created = MeetingRating.objects.update_or_create(
        meeting=meeting, registration=registration, defaults={"outcome": outcome, "rated_at": now}
    )
    return rating


def answer_follow_up(meeting, registration, status, text="", may_publish=False, now=None):
    if status not in Status.values:
        raise ValueError(status)
    now = now or timezone.now()
    follow_up, _created = CooperationFollowUp.objects.update_or_create(
        meeting=meeting,
        registration=registration,
        defaults={
            "status": status,
            "text": text.strip()[:600],
            "may_publish": bool(may_publish and text.strip()),
            "answered_at": now,
        },
    )
    return follow_up
