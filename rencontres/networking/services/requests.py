"""Meeting requests between participants: ask, accept or decline, withdraw, cancel, block."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from rencontres.registration.models import Registration
from rencontres.registration.services import lock_edition

from ..models import Block, Meeting, MeetingRequest, Profile
from .common import NetworkingError, notify, person_summary
from .profiles import check_can_network
from .schedule import is_published, place_new, unplace

Status = MeetingRequest.Status


def is_blocked(one, other):
    return Block.objects.filter(
        Q(blocker=one, blocked=other) | Q(blocker=other, blocked=one)
    ).exists()


def open_request_between(one, other):
    return (
        MeetingRequest.objects.filter(status__in=MeetingRequest.OPEN)
        .filter(Q(sender=one, recipient=other) | Q(sender=other, recipient=one))
        .first()
    )


def request_meeting(sender, recipient, message, with_delegation=False):
    """Ask `recipient` for a bilateral meeting. Returns the request (the existing one when the
    same request is sent twice). Raises NetworkingError with the reason otherwise."""
    check_can_network(sender)
    if not Profile.objects.filter(registration=sender).exists():
        raise NetworkingError(_("Create your profile first, so that people know who asks."))
    if recipient.pk == sender.pk:
        raise NetworkingError(_("You cannot request a meeting with yourself."))
    profile = Profile.objects.filter(registration=recipient).select_related("registration").first()
    if (
        profile is None
        or not profile.is_listed
        or not profile.accepts_requests
        or recipient.edition_id != sender.edition_id
        or is_blocked(sender, recipient)
    ):
        # One message for every refusal: nobody learns that they were blocked.
        raise NetworkingError(_("This person does not accept meeting requests."))
    try:
        with transaction.atomic():
            # The edition's lock: two people asking each other at the same moment make one
            # request, not two crossing ones (which could become two meetings).
            lock_edition(sender.edition)
            existing = open_request_between(sender, recipient)
            if existing is not None:
                if existing.sender_id == sender.pk:
                    return existing
                raise NetworkingError(
                    _("%(name)s has already asked you for a meeting: answer their request.")
                    % {"name": recipient.full_name}
                )
            meeting_request = MeetingRequest.objects.create(
                edition=sender.edition,
                sender=sender,
                recipient=recipient,
                message=message.strip(),
                with_delegation=with_delegation and bool(sender.delegation_id),
            )
            notify(
                recipient,
                "meeting_requested",
                sender=person_summary(sender),
                message=meeting_request.message,
            )
    except IntegrityError:
        # The same request, sent twice at once (double click, two tabs): keep the first.
        return MeetingRequest.objects.get(
            sender=sender, recipient=recipient, status__in=MeetingRequest.OPEN
        )
    return meeting_request


def participants_of(meeting_request):
    people = [meeting_request.sender, meeting_request.recipient]
    if meeting_request.with_delegation and meeting_request.sender.delegation_id:
        people += list(
            Registration.objects.filter(
                delegation_id=meeting_request.sender.delegation_id, status="confirmed"
            ).exclude(pk__in=[person.pk for person in people])
        )
    return people


def answer(meeting_request, by, accept, now=None):
    """The recipient accepts (a meeting is created, and placed at once if the schedule is
    published) or declines. Answering twice changes nothing."""
    now = now or timezone.now()
    if by.pk != meeting_request.recipient_id:
        raise NetworkingError(_("Only the person asked can answer this request."))
    with transaction.atomic():
        lock_edition(meeting_request.edition)
        meeting_request.refresh_from_db()
        if meeting_request.status != Status.PENDING:
            return meeting_request
        meeting_request.status = Status.ACCEPTED if accept else Status.DECLINED
        meeting_request.answered_at = now
        meeting_request.save(update_fields=["status", "answered_at"])
        sender, recipient = meeting_request.sender, meeting_request.recipient
        if not accept:
            notify(sender, "meeting_declined", other=person_summary(recipient))
            return meeting_request
        meeting = Meeting.objects.create(edition=meeting_request.edition, request=meeting_request)
        meeting.participants.set(participants_of(meeting_request))
        placed = place_new(meeting) if is_published(meeting_request.edition) else False
        for person, other in ((sender, recipient), (recipient, sender)):
            notify(
                person,
                "meeting_accepted",
                other=person_summary(other),
                placed=bool(placed),
                when=meeting_time(meeting),
            )
    return meeting_request


def meeting_time(meeting):
    from django.utils import formats

    if meeting.slot_id is None:
        return ""
    start = timezone.localtime(meeting.slot.starts_at)
    return f"{formats.date_format(start, 'l j F, H:i')}, {meeting.table}"


def withdraw(meeting_request, by):
    if by.pk != meeting_request.sender_id:
        raise NetworkingError(_("Only the person who asked can withdraw this request."))
    MeetingRequest.objects.filter(pk=meeting_request.pk, status=Status.PENDING).update(
        status=Status.WITHDRAWN, answered_at=timezone.now()
    )


def cancel_meeting(meeting, by, now=None):
    """One of the two parties cancels an accepted meeting: its table is freed and the others
    are told."""
    now = now or timezone.now()
    request = meeting.request
    if by.pk not in (request.sender_id, request.recipient_id):
        raise NetworkingError(_("Only the two parties can cancel this meeting."))
    with transaction.atomic():
        lock_edition(meeting.edition)
        meeting.refresh_from_db()
        if meeting.cancelled_at is not None:
            return meeting
        cancel_locked(meeting, by, now)
    return meeting


def cancel_locked(meeting, by, now):
    """With the edition locked: cancel `meeting` because of `by`, free its table, tell the
    others."""
    was = meeting_time(meeting)
    meeting.cancelled_at = now
    unplace(meeting)
    MeetingRequest.objects.filter(pk=meeting.request_id).update(status=Status.CANCELLED)
    for person in meeting.participants.exclude(pk=by.pk):
        notify(person, "meeting_cancelled", other=person_summary(by), when=was)


def block(blocker, blocked):
    """No more requests from `blocked`; their pending requests to `blocker` are declined
    without telling them why."""
    if blocker.pk == blocked.pk:
        raise NetworkingError(_("You cannot block yourself."))
    with transaction.atomic():
        Block.objects.get_or_create(blocker=blocker, blocked=blocked)
        MeetingRequest.objects.filter(
            sender=blocked, recipient=blocker, status=Status.PENDING
        ).update(status=Status.DECLINED, answered_at=timezone.now())


def unblock(blocker, blocked):
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()


def registration_cancelled(registration, now=None):
    """With the edition locked (inside the registration's cancellation): the person's
    requests are closed, the meetings they led are cancelled (tables freed), and they leave
    the group meetings they were only a member of."""
    now = now or timezone.now()
    MeetingRequest.objects.filter(
        Q(sender=registration) | Q(recipient=registration), status=Status.PENDING
    ).update(status=Status.CANCELLED, answered_at=now)
    for meeting in Meeting.objects.filter(
        participants=registration, cancelled_at__isnull=True
    ).select_related("request", "slot", "table"):
        request = meeting.request
        if registration.pk in (request.sender_id, request.recipient_id):
            cancel_locked(meeting, registration, now)
        else:
            meeting.participants.remove(registration)
