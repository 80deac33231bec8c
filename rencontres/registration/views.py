"""Registration pages: the form (for one person or a delegation), the address confirmation,
the lost-link form, and the private page where a registrant sees, changes or cancels."""

import functools

from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from rencontres import ratelimit
from rencontres.editions.selectors import current_edition_for
from rencontres.forms import with_errors

from . import selectors, services
from .calendar import registration_calendar
from .forms import (
    DetailsForm,
    LinkRequestForm,
    RegistrationForm,
    SessionsForm,
    client_key,
    member_formset,
)
from .invitation import invitation_letter_pdf
from .models import Registration

SENT_KEY = "registration_sent_to"


def open_edition(request):
    edition = current_edition_for(request)
    if edition is None:
        raise Http404
    return edition


def throttled(request, action, email):
    return not (
        ratelimit.allow(f"{action}-ip", ratelimit.client_ip(request))
        and (not email or ratelimit.allow(f"{action}-email", email))
    )


@never_cache
def register(request, delegation=False, invitation=None):
    edition = invitation.edition if invitation else open_edition(request)
    status = edition.registration_status()
    places = selectors.places_left(edition)
    form = RegistrationForm(
        request.POST or None,
        edition=edition,
        places_left=places,
        client=client_key(request, issuing=request.method != "POST"),
        initial=services.form_initial(invitation) if invitation else None,
    )
    members = None
    if delegation:
        extra = member_rows(request)
        members = member_formset(extra)(
            request.POST or None,
            prefix="members",
            form_kwargs={"edition": edition},
            head_email=request.POST.get("email", "").strip().lower() or None,
        )
    closed_message = None
    if not status.is_open:
        closed_message = services.RegistrationClosed(edition).message
    elif request.method == "POST":
        form_valid = form.is_valid()
        valid = (members is None or members.is_valid()) and form_valid
        if valid and throttled(request, "register", form.cleaned_data["email"]):
            form.add_error(None, _("Too many registrations from here. Please try again later."))
            valid = False
        if valid:
            try:
                registration, created = create_from_form(form, members, edition, invitation)
            except services.RegistrationClosed as closed:
                closed_message = closed.message
            else:
                # Only a registration made now, through the invitation sent to this address,
                # is confirmed on the spot; anything else (an address already registered, by
                # whoever types it) goes through the e-mail, never to its private page here.
                if invitation is not None and created and registration.email_confirmed_at:
                    return redirect(
                        "registration:private", registration.public_id, registration.secret
                    )
                request.session[SENT_KEY] = registration.email
                return redirect("registration:sent")
    return render(
        request,
        "registration/form.html",
        {
            "edition": edition,
            "form": form,
            "members": members,
            "delegation": delegation,
            "invitation": invitation,
            "closed_message": closed_message,
            "organisation_names": selectors.organisation_names(),
            "error_forms": with_errors(form, *(members.forms if members is not None else [])),
            "more_members": (member_rows(request) + 3) if delegation else None,
        },
    )


def member_rows(request):
    """Empty member rows to show: more on request (a link, so no JavaScript is needed)."""
    try:
        return min(max(int(request.GET.get("members", 2)), 2), 29)
    except ValueError:
        return 2


def create_from_form(form, members, edition, invitation=None):
    data = form.cleaned_data
    organisation = services.find_or_create_organisation(
        data["organisation_name"],
        data["organisation_kind"],
        data["organisation_country"],
        data["organisation_identifier"],
    )
    details = {**form.registration_details(), "organisation": organisation}
    return services.submit(
        edition,
        details,
        sessions=list(data["sessions"]),
        members=members.members() if members is not None else (),
        nonce=data["form_token"],
        invitation=invitation,
    )


@never_cache
def invited(request, public_id, secret):
    """An invited person's page: the registration form filled in from the list, or a way to
    say they cannot come."""
    invitation = found_or_404(request, services.invitation_by_link(public_id, secret))
    if request.method == "POST" and "decline" in request.POST:
        services.decline_invitation(invitation)
        return redirect(request.path)
    if invitation.registration_id or (invitation.declined_at and "register" not in request.GET):
        return render(request, "registration/invitation.html", {"invitation": invitation})
    return register(request, invitation=invitation)


@never_cache
def sent(request):
    edition = open_edition(request)
    email = request.session.get(SENT_KEY)
    if request.method == "POST" and email:
        if throttled(request, "link", email):
            messages.error(request, _("Too many requests. Please try again later."))
        else:
            services.request_link(edition, email)
            messages.success(request, _("We have sent the e-mail again."))
        return redirect("registration:sent")
    return render(request, "registration/sent.html", {"edition": edition, "email": email})


@never_cache
def confirm(request, token):
    try:
        registration = services.registration_from_confirmation_token(token)
    except signing.SignatureExpired:
        return render(request, "registration/confirm_expired.html", status=410)
    if registration is None:
        raise Http404
    if request.method == "POST":
        registration = services.confirm_address(registration)
        return redirect("registration:private", registration.public_id, registration.secret)
    return render(request, "registration/confirm.html", {"registration": registration})


@never_cache
def request_link(request):
    edition = open_edition(request)
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if throttled(request, "link", email):
            form.add_error(None, _("Too many requests. Please try again later."))
        else:
            services.request_link(edition, email)
            request.session[SENT_KEY] = email
            return render(request, "registration/link_sent.html", {"email": email})
    return render(
        request,
        "registration/link.html",
        {"form": form, "edition": edition, "error_forms": with_errors(form)},
    )


# The private pages -------------------------------------------------------------------------


def registration_or_404(request, public_id, secret):
    """The registration a private link opens. A wrong link is a 404; an address that tried
    too many wrong links gets 429 for its next wrong ones (secrets are 256 random bits: this
    keeps a scanner from trying, not from succeeding)."""
    return found_or_404(request, selectors.registration_by_link(public_id, secret))


def registration_by_feed_or_404(request, public_id, feed, token):
    """The registration a read-only calendar feed's address opens (see Registration.feed_token),
    with the same guard as private links."""
    return found_or_404(request, selectors.registration_by_feed(public_id, feed, token))


def found_or_404(request, registration):
    """Only wrong links count and only they are refused: a right link always opens, since a
    whole venue's Wi-Fi or a calendar service shares one address with many honest people."""
    if registration is None:
        if not ratelimit.allow("link-guess-ip", ratelimit.client_ip(request)):
            raise ratelimit.TooManyRequests
        raise Http404
    return registration


def private_context(registration, **extra):
    edition = registration.edition
    return {
        "registration": registration,
        "edition": edition,
        "window": edition.registration_status(),
        "can_change": registration.is_active and edition.registration_status().is_open,
        "choices": selectors.choices_of(registration),
        "members": services.delegation_members(registration),
        "calendar_feed": reverse(
            "registration:calendar_feed",
            args=[registration.public_id, registration.feed_token("sessions")],
        ),
        **extra,
    }


@never_cache
def private(request, public_id, secret):
    registration = registration_or_404(request, public_id, secret)
    return render(request, "registration/private.html", private_context(registration))


def changes_by_registrant(view):
    """A page that changes an active registration: opened by its private link, and only while
    registrations are open (the services check the window again when writing)."""

    @functools.wraps(view)
    def wrapper(request, public_id, secret):
        registration = registration_or_404(request, public_id, secret)
        if not registration.is_active:
            raise Http404
        if not registration.edition.registration_status().is_open:
            messages.error(request, services.RegistrationClosed(registration.edition).message)
            return back_to(registration)
        try:
            return view(request, registration)
        except services.RegistrationClosed as closed:
            messages.error(request, closed.message)
            return back_to(registration)

    return never_cache(wrapper)


def back_to(registration):
    return redirect("registration:private", registration.public_id, registration.secret)


@changes_by_registrant
def details(request, registration):
    form = DetailsForm(request.POST or None, instance=Registration.objects.get(pk=registration.pk))
    if request.method == "POST" and form.is_valid():
        changes = {field: form.cleaned_data[field] for field in form.changed_data}
        services.update_details(registration, changes)
        messages.success(request, _("Your details are saved."))
        return back_to(registration)
    return render(
        request,
        "registration/details.html",
        private_context(registration, form=form, error_forms=with_errors(form)),
    )


@changes_by_registrant
def sessions(request, registration):
    current = [choice.session for choice in selectors.choices_of(registration)]
    form = SessionsForm(
        request.POST or None,
        registration=registration,
        places_left=selectors.places_left(registration.edition),
        initial={"sessions": current},
    )
    if request.method == "POST" and form.is_valid():
        waiting = services.change_sessions(registration, list(form.cleaned_data["sessions"]))
        messages.success(request, _("Your sessions are saved."))
        if waiting and registration.status == Registration.Status.CONFIRMED:
            messages.info(
                request,
                _("You are on the waiting list for: %(sessions)s. We will e-mail you if a "
                  "place frees up.") % {"sessions": ", ".join(s.title for s in waiting)},
            )  # fmt: skip
        return back_to(registration)
    return render(
        request,
        "registration/sessions.html",
        private_context(registration, form=form, error_forms=with_errors(form)),
    )


@changes_by_registrant
def cancel(request, registration):
    if request.method == "POST":
        services.cancel(registration)
        messages.success(request, _("Your registration is cancelled."))
        return back_to(registration)
    return render(request, "registration/cancel.html", private_context(registration))


@never_cache
def calendar(request, public_id, secret):
    return calendar_response(registration_or_404(request, public_id, secret))


@never_cache
def calendar_feed(request, public_id, token):
    return calendar_response(registration_by_feed_or_404(request, public_id, "sessions", token))


def calendar_response(registration):
    response = HttpResponse(
        registration_calendar(registration), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="rencontres-{registration.edition.number}.ics"'
    )
    return response


@never_cache
def invitation(request, public_id, secret):
    registration = registration_or_404(request, public_id, secret)
    if not registration.can_download_invitation:
        raise Http404
    response = HttpResponse(invitation_letter_pdf(registration), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="invitation-{registration.edition.number}.pdf"'
    )
    return response
