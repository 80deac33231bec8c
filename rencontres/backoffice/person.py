"""One person, one page: everything about a registration for the team, and the actions its
status allows now. Each action goes through the same service as everywhere else (capacities,
waiting lists, e-mails, history), done by this team member, and works after the deadline."""

import datetime

from django.contrib import messages
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from rencontres import audit
from rencontres.editions.models import Session
from rencontres.forms import with_errors
from rencontres.mail.models import OutgoingEmail
from rencontres.mail.services import schedule_sending
from rencontres.networking.selectors import meetings_of
from rencontres.privacy.models import ConsentRecord, ErasureRequest
from rencontres.privacy.registry import ERASED_EMAIL_DOMAIN, is_erased
from rencontres.privacy.visibility import hidden_fields
from rencontres.registration import selectors as registration_selectors
from rencontres.registration import services
from rencontres.registration.forms import SessionsForm
from rencontres.registration.models import Registration, SessionChoice
from rencontres.roles import PRIVACY, REGISTRATIONS, edition_page

from .forms import TeamDetailsForm, TeamRegistrationForm

Status = Registration.Status

ACTIONS = {  # action: (label, the service doing it, the statuses it applies to)
    "approve": (
        _("Approve"),
        lambda person, actor: services.approve(person, actor),
        {Status.AWAITING_APPROVAL},
    ),
    "confirm": (
        _("Give a place (from the waiting list)"),
        lambda person, actor: services.confirm_from_waiting_list(person, actor),
        {Status.WAITLISTED},
    ),
    "reject": (
        _("Reject"),
        lambda person, actor: services.reject(person, actor),
        {Status.AWAITING_APPROVAL, Status.WAITLISTED},
    ),
    "resend": (
        _("Send their link again"),
        lambda person, actor: services.resend_link(person),
        {Status.AWAITING_CONFIRMATION, *Registration.HOLDING_OR_AWAITING_A_PLACE},
    ),
    "replace_link": (
        _("Replace their private link (the old one stops working)"),
        lambda person, actor: services.replace_link(person, actor=actor),
        set(Registration.HOLDING_OR_AWAITING_A_PLACE),
    ),
    "cancel": (
        _("Cancel the registration"),
        lambda person, actor: services.cancel(person, actor=actor),
        {Status.AWAITING_CONFIRMATION, *Registration.HOLDING_OR_AWAITING_A_PLACE},
    ),
}

# A history line as a person reads it; an action without a label shows its code.
HISTORY = {
    "submitted": _("Registered on the site"),
    "address_confirmed": _("Confirmed their e-mail address"),
    "added_by_organiser": _("Added by the team"),
    "registered_at_the_door": _("Registered at the door"),
    "invitation_accepted": _("Accepted an invitation"),
    "status": _("Status changed"),
    "approved": _("Approved"),
    "moved_from_waiting_list": _("Given a place from the waiting list"),
    "details_changed": _("Details changed"),
    "sessions_changed": _("Sessions changed"),
    "session_promoted": _("Given a place in a session (from its waiting list)"),
    "link_replaced": _("Private link replaced"),
    "place_held": _("Place held for a delegation member"),
    "hold_released": _("Held place released"),
    "admin_changed": _("Changed in the admin"),
    "admin_action": _("Action in the admin"),
    "consent_given": _("Consent given"),
    "consent_withdrawn": _("Consent withdrawn"),
    "erasure_requested": _("Asked for their data to be erased"),
    # Written before consents had their own lines (still in past editions' histories).
    "directory_opt_in": _("Joined the participants' directory"),
    "directory_opt_out": _("Left the participants' directory"),
}


def field_label(name):
    try:
        return Registration._meta.get_field(name).verbose_name
    except Exception:  # a field since removed
        return name


def allowed_actions(person):
    if is_erased(person):  # a line of statistics now: nobody to write to or to give a place
        return {}
    return {
        name: label for name, (label, _do, statuses) in ACTIONS.items() if person.status in statuses
    }


def history(person):
    """The history, newest first, each line with its label and what it changed in words
    (session titles, consents and sources by name, field names, never a sensitive value),
    read in a fixed number of queries however long it is."""
    events = list(person.events.select_related("actor").order_by("-at", "-pk"))
    session_ids = {
        pk
        for event in events
        for key in ("sessions", "added", "dropped", "session")
        for pk in as_list((event.details or {}).get(key))
        if isinstance(pk, int)
    }
    titles = {session.pk: session.title for session in Session.objects.filter(pk__in=session_ids)}
    named = {
        "consent": dict(ConsentRecord.Consent.choices),
        "source": dict(ConsentRecord.Source.choices),
        "channel": dict(ErasureRequest.Channel.choices),
        "previous": dict(Status.choices),
        "status": dict(Status.choices),
    }
    lines = []
    for event in events:
        details = event.details or {}
        shown = {}
        for key, label in DETAILS:
            value = details.get(key)
            if value in ("", None, [], {}):
                continue
            if key == "changes" and isinstance(value, dict):
                value = ", ".join(str(field_label(name)) for name in value)
            elif key in ("sessions", "added", "dropped", "session"):
                value = ", ".join(titles.get(pk, f"#{pk}") for pk in as_list(value))
            elif key == "until":
                value = date_format(localtime(parse_datetime(value)), "SHORT_DATETIME_FORMAT")
            elif key in named:
                value = named[key].get(value, value)
            shown[label] = value
        lines.append({
            "at": event.at, "label": HISTORY.get(event.action, event.action),
            "actor": event.actor, "details": shown,
        })  # fmt: skip
    return lines


def as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# The details of a history line shown, in this order, with their names; others are kept
# for the record (and the data export) but not shown here.
DETAILS = [
    ("previous", _("from")),
    ("status", _("to")),
    ("changes", _("changed")),
    ("sessions", _("sessions")),
    ("session", _("sessions")),
    ("added", _("added")),
    ("dropped", _("dropped")),
    ("consent", _("consent")),
    ("source", _("where")),
    ("channel", _("how")),
    ("until", _("until")),
]


def waiting_positions(choices):
    """{session id: position on its waiting list} for the waitlisted choices, counted as the
    session's own page orders its list (registration.selectors: WAITING, first come first
    served)."""
    positions = {}
    for choice in choices:
        if choice.status == SessionChoice.Status.WAITLISTED:
            ahead = SessionChoice.objects.filter(
                registration_selectors.WAITING, session_id=choice.session_id
            ).filter(Q(created_at__lt=choice.created_at) | Q(created_at=choice.created_at,
                                                            pk__lt=choice.pk))  # fmt: skip
            positions[choice.session_id] = ahead.count() + 1
    return positions


def days_of(person):
    days = []
    for day in person.days or []:
        try:
            days.append(datetime.date.fromisoformat(str(day)))
        except ValueError:
            continue
    return sorted(days)


@edition_page(REGISTRATIONS)
def registration_page(request, edition, pk):
    person = get_object_or_404(
        Registration.objects.select_related(
            "organisation", "category", "delegation"
        ).prefetch_related(
            Prefetch("choices", SessionChoice.objects.select_related("session__room")),
        ),
        edition=edition,
        pk=pk,
    )
    choices = list(person.choices.all())
    positions = waiting_positions(choices)
    for choice in choices:
        choice.position = positions.get(choice.session_id)
    members = []
    if person.delegation_id:
        members = list(
            person.delegation.members.exclude(pk=person.pk).order_by("-is_delegation_head", "pk")
        )
    return render(
        request,
        "backoffice/registration.html",
        {
            "edition": edition,
            "person": person,
            "erased": is_erased(person),
            "hidden": hidden_fields(request.user, edition),
            "actions": allowed_actions(person),
            "choices": choices,
            "days": days_of(person),
            "members": members,
            "consents": ConsentRecord.objects.filter(registration=person).order_by("-at", "-pk"),
            "emails": person.emails.order_by("-created_at", "-pk"),
            "check_ins": person.check_ins.select_related("session").order_by("-at"),
            "printings": person.badge_printings.order_by("-printed_at"),
            "meetings": meetings_of(person),
            "history": history(person),
            "can_erase": PRIVACY in request.capabilities,
        },
    )


@edition_page(REGISTRATIONS)
def registration_new(request, edition):
    """A registration added by the team (someone who phoned), after the deadline too, with or
    without an e-mail to the person (services.add_by_hand)."""
    form = TeamRegistrationForm(
        request.POST or None,
        edition=edition,
        places_left=registration_selectors.places_left(edition),
        hidden=hidden_fields(request.user, edition),
    )
    existing = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = services.find_or_create_organisation(
            data["organisation_name"], data["organisation_kind"], data["organisation_country"],
            data["organisation_identifier"],
        )  # fmt: skip
        try:
            person = services.add_by_hand(
                edition,
                {**form.registration_details(), "organisation": organisation},
                actor=request.user,
                sessions=list(data["sessions"]),
                nonce=data["form_nonce"],
                notify=data["send_email"],
            )
        except services.AlreadyRegistered as already:
            existing = already.registration
            form.add_error("email", _("This address is already registered for this edition."))
        else:
            audit.log(request, edition, "registration_added", registration=person.pk,
                      emailed=data["send_email"])  # fmt: skip
            messages.success(
                request,
                _("The registration is saved: %(status)s.")
                % {"status": person.get_status_display()},
            )
            return redirect("backoffice:registration", edition.number, person.pk)
    return render(request, "backoffice/registration_new.html", {
        "edition": edition, "form": form, "error_forms": with_errors(form), "existing": existing,
    })  # fmt: skip


@edition_page(REGISTRATIONS)
def registration_details(request, edition, pk):
    """Details changed by the team, after the deadline too, through the registrant's own
    service (history with who did it)."""
    person = get_object_or_404(Registration, edition=edition, pk=pk)
    if is_erased(person):
        raise Http404
    form = TeamDetailsForm(
        request.POST or None, instance=Registration.objects.get(pk=person.pk),
        hidden=hidden_fields(request.user, edition),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        changes = {field: form.cleaned_data[field] for field in form.changed_data}
        services.update_details(person, changes, actor=request.user)
        if changes:
            audit.log(request, edition, "registration_details", registration=person.pk,
                      fields=sorted(changes))  # fmt: skip
        messages.success(request, _("The details are saved."))
        return redirect("backoffice:registration", edition.number, person.pk)
    return render(request, "backoffice/registration_edit.html", {
        "edition": edition, "person": person, "form": form, "error_forms": with_errors(form),
        "title": _("Change the details"),
    })  # fmt: skip


@edition_page(REGISTRATIONS)
def registration_sessions(request, edition, pk):
    """Sessions changed by the team, after the deadline too: capacities and waiting lists
    as for the person, and the person is e-mailed as when they change them."""
    person = get_object_or_404(Registration, edition=edition, pk=pk)
    if not person.is_active:
        messages.error(
            request, _("This registration is cancelled or rejected: it holds no session.")
        )
        return redirect("backoffice:registration", edition.number, person.pk)
    current = [choice.session for choice in registration_selectors.choices_of(person)]
    form = SessionsForm(
        request.POST or None,
        registration=person,
        places_left=registration_selectors.places_left(edition),
        initial={"sessions": current},
    )
    if request.method == "POST" and form.is_valid():
        waiting = services.change_sessions_for(
            person, list(form.cleaned_data["sessions"]), actor=request.user
        )
        audit.log(request, edition, "registration_sessions", registration=person.pk)
        messages.success(request, _("The sessions are saved."))
        if waiting:
            messages.info(request, _("On the waiting list for: %(sessions)s.")
                          % {"sessions": ", ".join(s.title for s in waiting)})  # fmt: skip
        return redirect("backoffice:registration", edition.number, person.pk)
    return render(request, "backoffice/registration_edit.html", {
        "edition": edition, "person": person, "form": form, "error_forms": with_errors(form),
        "title": _("Change the sessions"),
    })  # fmt: skip


@require_POST
@edition_page(REGISTRATIONS)
def registration_do(request, edition, pk):
    person = get_object_or_404(Registration, edition=edition, pk=pk)
    action = request.POST.get("action", "")
    if action not in allowed_actions(person):
        messages.error(request, _("This action does not apply to this registration any more."))
    else:
        label, do, _statuses = ACTIONS[action]
        do(person, request.user)
        audit.log(request, edition, f"registration_{action}", registration=person.pk)
        messages.success(request, _("%(action)s: done.") % {"action": label})
    return redirect("backoffice:registration", edition.number, person.pk)


@require_POST
@edition_page(REGISTRATIONS)
def email_resend(request, edition, pk, email_pk):
    """A message that failed for good is tried again (the address may have been corrected:
    it goes to the registration's address now)."""
    person = get_object_or_404(Registration, edition=edition, pk=pk)
    # An erased person's e-mails were stopped for good (and their address is gone).
    failed = OutgoingEmail.objects.filter(
        pk=email_pk, registration=person, status=OutgoingEmail.Status.FAILED
    ).exclude(recipient__endswith=f"@{ERASED_EMAIL_DOMAIN}")
    updated = (
        0
        if is_erased(person)
        else failed.update(
            status=OutgoingEmail.Status.PENDING,
            recipient=person.email,
            attempts=0,
            last_error="",
            next_attempt_at=timezone.now(),
            claimed_at=None,
        )
    )
    if updated:
        schedule_sending()
        audit.log(request, edition, "email_resent", registration=person.pk, email=email_pk)
        messages.success(request, _("The e-mail will be sent again in a moment."))
    else:
        messages.error(request, _("This e-mail has not failed: nothing to send again."))
    return redirect("backoffice:registration", edition.number, person.pk)
