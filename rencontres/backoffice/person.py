"""One person, one page: everything about a registration for the team, and the actions its
status allows now. Each action goes through the same service as everywhere else (capacities,
waiting lists, e-mails, history), done by this team member, and works after the deadline."""

import datetime

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from rencontres import audit
from rencontres.editions.models import Session
from rencontres.fees.models import Extra
from rencontres.fees.pricing import Grid
from rencontres.forms import new_page_nonce, page_nonce, with_errors
from rencontres.invoicing.models import Payment
from rencontres.invoicing.selectors import invoices_of
from rencontres.mail.models import OutgoingEmail
from rencontres.money import format_money
from rencontres.networking.selectors import meetings_of
from rencontres.privacy.models import ConsentRecord, ErasureRequest
from rencontres.privacy.registry import is_erased
from rencontres.privacy.visibility import hidden_fields
from rencontres.registration import selectors as registration_selectors
from rencontres.registration import services
from rencontres.registration.forms import ReplacementForm, SessionsForm
from rencontres.registration.models import Registration, SessionChoice
from rencontres.roles import FEES, INVOICES, PRIVACY, REGISTRATIONS, edition_page

from . import outbox
from .fee_grid import AdjustmentForm, quote_context
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
    "delegation_member_added": _("Added to the delegation"),
    "delegation_member_replaced": _("Replaced by someone else in the delegation"),
    "delegation_member_removed": _("Removed from the delegation"),
    "admin_changed": _("Changed in the admin"),
    "admin_action": _("Action in the admin"),
    "consent_given": _("Consent given"),
    "consent_withdrawn": _("Consent withdrawn"),
    "erasure_requested": _("Asked for their data to be erased"),
    "extras_booked": _("Extras booked"),
    "fee_exempted": _("Exempted from fees"),
    "fee_discounted": _("Given a discount"),
    "fee_adjustment_withdrawn": _("Exemption or discount withdrawn"),
    "payer_changed": _("Who pays changed"),
    "invoiced": _("Invoiced"),
    "credit_note_issued": _("Credit note issued"),
    "payment_recorded": _("Payment recorded"),
    "payment_cancelled": _("Payment cancelled"),
    "payment_reminder_sent": _("Payment reminder sent"),
    "checked_in_by_hand": _("Check-in added by hand"),
    "certificate_issued": _("Certificate of attendance issued"),
    "certificate_reissued": _("Certificate of attendance re-issued"),
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
    # The people a line names (whom a member replaced, or who replaced them), by name.
    people_ids = {
        (event.details or {}).get(key) for event in events for key in ("replaces", "replaced_by")
    }
    people = {
        person.pk: person
        for person in Registration.objects.filter(
            pk__in=[pk for pk in people_ids if isinstance(pk, int)]
        )
    }
    extras = {extra.pk: extra.name for extra in Extra.objects.filter(edition=person.edition_id)}
    currency = Grid.of(person.edition).currency
    named = {
        "consent": dict(ConsentRecord.Consent.choices),
        "source": dict(ConsentRecord.Source.choices),
        "channel": dict(ErasureRequest.Channel.choices),
        "method": dict(Payment.Method.choices),
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
            elif key == "extras":
                value = ", ".join(extras.get(pk, f"#{pk}") for pk in as_list(value))
            elif key == "amount_cents":
                value = format_money(value, currency)
            elif key == "until":
                value = date_format(localtime(parse_datetime(value)), "SHORT_DATETIME_FORMAT")
            elif key in ("replaces", "replaced_by"):
                value = people.get(value, f"#{value}")
            elif key in named:
                value = named[key].get(value, value)
            shown[label] = value
        lines.append({
            "at": event.at, "label": HISTORY.get(event.action, event.action),
            "actor": event.actor, "by_head": "by_head" in details, "details": shown,
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
    ("replaces", _("in place of")),
    ("replaced_by", _("replaced by")),
    ("extras", _("extras")),
    ("invoice", _("invoice")),
    ("credit_note", _("credit note")),
    ("amount_cents", _("amount")),
    ("method", _("how")),
    ("days", _("days after the due date")),
    ("reason", _("reason")),
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
    meetings = list(meetings_of(person))
    for meeting in meetings:  # whom they meet: the others, the person left out
        meeting.others = [other for other in meeting.participants.all() if other.pk != person.pk]
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
            "replaceable": replaceable(person),
            "choices": choices,
            "days": days_of(person),
            "members": members,
            "consents": ConsentRecord.objects.filter(registration=person).order_by("-at", "-pk"),
            "emails": person.emails.order_by("-created_at", "-pk"),
            "check_ins": person.check_ins.select_related("session").order_by("-at"),
            "printings": person.badge_printings.order_by("-printed_at"),
            "invoices": invoices_of(person) if INVOICES in request.capabilities else None,
            "meetings": meetings,
            "history": history(person),
            "can_erase": PRIVACY in request.capabilities,
            "form_nonce": new_page_nonce(NONCE),
            "can_adjust": FEES in request.capabilities and not is_erased(person),
            "adjustment_form": AdjustmentForm(),
            **quote_context(person),
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
                extras=list(data.get("extras") or []),
            )
        except services.ExtraFull as full:
            form.add_error("extras", full.message)
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


def replaceable(person):
    """Whether the team may give this person's place to someone else: a delegation member
    (not its head) who still holds or awaits a place, and who was not erased."""
    return (
        person.delegation_id is not None
        and not person.is_delegation_head
        and person.is_active
        and not is_erased(person)
        and services.delegation_head(person) is not None
    )


@edition_page(REGISTRATIONS)
def registration_replace(request, edition, pk):
    """A delegation member who cannot come, replaced by the team, after the deadline too,
    through the head's own service (services.replace_member): the new person takes the place
    and its sessions and confirms their own address."""
    person = get_object_or_404(Registration, edition=edition, pk=pk)
    if not replaceable(person):
        messages.error(request, _("Only a member of a delegation who still holds or awaits a "
                                  "place can be replaced."))  # fmt: skip
        return redirect("backoffice:registration", edition.number, person.pk)
    form = ReplacementForm(request.POST or None, edition=edition,
                           initial={"language": person.language})  # fmt: skip
    existing = None
    if request.method == "POST" and form.is_valid():
        try:
            replacement = services.replace_member(
                person, form.person(), actor=request.user, nonce=form.cleaned_data["form_nonce"]
            )
        except services.AlreadyRegistered as already:
            existing = already.registration
            form.add_error("email", _("This address is already registered for this edition."))
        except services.AlreadyInDelegation:
            form.add_error("email", _("This address is already in the delegation."))
        except services.MemberGone:
            messages.error(request, _("This member was replaced or cancelled meanwhile."))
            return redirect("backoffice:registration", edition.number, person.pk)
        else:
            audit.log(request, edition, "registration_replaced", registration=person.pk,
                      replacement=replacement.pk)  # fmt: skip
            messages.success(
                request,
                _("%(name)s takes the place of %(old)s.")
                % {"name": replacement.full_name, "old": person.full_name},
            )
            return redirect("backoffice:registration", edition.number, replacement.pk)
    return render(request, "backoffice/registration_replace.html", {
        "edition": edition, "person": person, "form": form, "error_forms": with_errors(form),
        "existing": existing,
    })  # fmt: skip


# The actions' form carries a one-time value of its page: a double click replaces the private
# link once (one new link, one e-mail, not a first e-mail whose link the second one killed).
NONCE = "person"


@require_POST
@edition_page(REGISTRATIONS)
def registration_do(request, edition, pk):
    person = get_object_or_404(Registration, edition=edition, pk=pk)
    action = request.POST.get("action", "")
    nonce = page_nonce(request.POST.get("form_nonce"), NONCE)
    with transaction.atomic():
        # The services' own lock, taken first: the second click waits for the first one's
        # action, then finds it done.
        services.lock_edition(edition)
        person.refresh_from_db()
        if action in ACTIONS and audit.done_with(edition, nonce):
            messages.success(request, _("%(action)s: done.") % {"action": ACTIONS[action][0]})
        elif action not in allowed_actions(person):
            messages.error(request, _("This action does not apply to this registration any more."))
        else:
            label, do, _statuses = ACTIONS[action]
            do(person, request.user)
            audit.log(request, edition, f"registration_{action}", registration=person.pk,
                      **({"nonce": nonce} if nonce else {}))  # fmt: skip
            messages.success(request, _("%(action)s: done.") % {"action": label})
    return redirect("backoffice:registration", edition.number, person.pk)


@require_POST
@edition_page(REGISTRATIONS)
def email_resend(request, edition, pk, email_pk):
    """A message that failed for good is tried again, to the registration's address as it is
    now (it may have been corrected) and with the person's links as they are now
    (outbox.send_again)."""
    person = get_object_or_404(Registration, edition=edition, pk=pk)
    failed = OutgoingEmail.objects.filter(
        pk=email_pk, registration=person, status=OutgoingEmail.Status.FAILED
    ).first()
    answer = outbox.send_again(person, failed) if failed else outbox.NOT_FAILED
    if answer == outbox.QUEUED:
        audit.log(request, edition, "email_resent", registration=person.pk, email=email_pk)
        messages.success(request, _("The e-mail will be sent again in a moment."))
    elif answer == outbox.OLD_LINK:
        messages.error(
            request,
            _("This e-mail carries a private link replaced since, which opens nothing: send "
              "their link again instead."),
        )  # fmt: skip
    else:
        messages.error(request, _("This e-mail has not failed: nothing to send again."))
    return redirect("backoffice:registration", edition.number, person.pk)
