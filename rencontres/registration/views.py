"""Registration pages: the form (for one person or a delegation), the address confirmation,
the lost-link form, and the private page where a registrant sees, changes or cancels."""

import functools
import re
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from rencontres import ratelimit
from rencontres.database import kept_for_the_back_button
from rencontres.editions.models import Edition
from rencontres.editions.selectors import current_edition_for
from rencontres.fees import pricing
from rencontres.fees.members import MemberList
from rencontres.fees.models import Extra
from rencontres.forms import with_errors
from rencontres.privacy.registry import is_erased

from . import form_page, selectors, services
from .calendar import registration_calendar
from .forms import (
    DetailsForm,
    LetterForm,
    LinkRequestForm,
    RegistrationForm,
    SessionsForm,
    StarsForm,
    client_key,
    member_formset,
)
from .invitation import invitation_letter_pdf, read_reference
from .models import Registration
from .parts import form_parts

# The "check your e-mail" page: the address the form was sent for (to send the e-mail again)
# and what it costs (the values the price depends on, priced again in the page's language:
# no script showed it live there). In a signed cookie of the person's browser, not in a
# session: nothing written on the server for it, and nothing kept there.
SENT_COOKIE = "registration_sent"
SENT_SALT = "rencontres.registration.sent"
SENT_SECONDS = 3600


def remember_sent(response, email, price=None):
    response.set_cookie(
        SENT_COOKIE,
        signing.dumps({"email": email, "price": price}, salt=SENT_SALT, compress=True),
        max_age=SENT_SECONDS, httponly=True, samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )  # fmt: skip
    return response


def sent_to(request):
    """{"email", "price"} of the form this browser sent last, or {}."""
    try:
        found = signing.loads(
            request.COOKIES.get(SENT_COOKIE, ""), salt=SENT_SALT, max_age=SENT_SECONDS
        )
    except signing.BadSignature:
        return {}
    return found if isinstance(found, dict) else {}


def open_edition(request):
    edition = current_edition_for(request)
    if edition is None:
        raise Http404
    return edition


def throttled(request, action, *emails, uses=1):
    """Whether this request goes past the limits of `action`: `uses` counts against its IP
    address (a delegation counts each of its people), one use against each e-mail."""
    # Each counter is one statement of its own (no transaction holding several rows: two
    # delegations naming the same people in another order could not wait on each other).
    allowed = ratelimit.allow(f"{action}-ip", ratelimit.client_ip(request), uses=uses)
    for email in emails:
        allowed = ratelimit.allow(f"{action}-email", email) and allowed
    return not allowed


# The buttons that ask for the form again, keeping what was typed: with more member rows, as
# the other form (one person, a delegation), or in the other language.
REDISPLAY = "redisplay"
MEMBER_ROWS_ADDED = 3


@kept_for_the_back_button  # sent during a database outage, it comes back as typed
def register(request, delegation=False, invitation=None):
    edition = invitation.edition if invitation else open_edition(request)
    status = edition.registration_status()
    client = client_key(request, issuing=request.method != "POST")
    # The blank form most people get is rendered once per state of what it shows.
    page_key = (
        form_page.key(request, edition, status) if form_page.applies(request, invitation) else None
    )
    if page_key is not None:
        html = cache.get(page_key)
        if html is not None:
            return form_page.respond(request, html, client)
    # Read only if the page is rendered (a POST that is valid never is).
    places = SimpleLazyObject(lambda: selectors.places_left(edition))
    # A button that asks for the form again (see REDISPLAY): it comes back as it was sent,
    # unchecked, with nothing recorded or counted.
    again = request.method == "POST" and REDISPLAY in request.POST
    data = request.POST if request.method == "POST" else None
    initial = services.form_initial(invitation) if invitation else None
    if page_key is not None:
        initial = {"form_token": form_page.FORM_TOKEN_MARK}
    form = RegistrationForm(
        data, edition=edition, places_left=places, client=client, initial=initial
    )
    parts = form_parts(
        data, edition=edition, form=form, delegation=delegation, invitation=invitation
    )
    members = None
    if delegation:
        members = member_formset()(
            with_member_rows(data, request.POST[REDISPLAY] == "more_members") if again else data,
            prefix="members",
            form_kwargs={"edition": edition},
            head_email=request.POST.get("email", "").strip().lower() or None,
        )
    closed_message = None
    if not status.is_open:
        closed_message = services.RegistrationClosed(edition).message
    elif again:
        shown_unchecked(form, members, parts)
    elif request.method == "POST":
        form_valid = form.is_valid()
        parts_valid = all([part.is_valid() for part in parts])
        valid = (members is None or members.is_valid()) and form_valid and parts_valid
        people = members.members() if valid and members is not None else []
        # Every submission counts, refused or not, and a delegation counts each person in it.
        emails = [form.cleaned_data["email"], *(m["email"] for m in people)] if valid else []
        if throttled(request, "register", *emails, uses=1 + len(people)):
            form.add_error(None, _("Too many registrations from here. Please try again later."))
            valid = False
        if valid:
            try:
                registration, created = create_from_form(form, people, edition, invitation, parts)
            except services.RegistrationClosed as closed:
                closed_message = closed.message
            except services.ExtraFull as full:  # taken since the form was checked
                form.add_error("extras", full.message)
            else:
                # Only a registration made now, through the invitation sent to this address,
                # is confirmed on the spot; anything else (an address already registered, by
                # whoever types it) goes through the e-mail, never to its private page here.
                if invitation is not None and created and registration.email_confirmed_at:
                    return redirect(
                        "registration:private", registration.public_id, registration.secret
                    )
                price = {"edition": edition.pk, **price_inputs(data)}
                return remember_sent(redirect("registration:sent"), registration.email, price)
    response = render(
        request,
        "registration/form.html",
        {
            **(form_page.context_marks() if page_key is not None else {}),
            "edition": edition,
            "form": form,
            "members": members,
            "delegation": delegation,
            "invitation": invitation,
            "closed_message": closed_message,
            "parts": [part for part in parts if part.shown],
            "error_forms": with_errors(
                form,
                *(members.forms if members is not None else []),
                *(each for part in parts for each in part.forms),
            ),
            "redisplay": REDISPLAY,
            "language_buttons": language_buttons(request, "registration-form")
            if closed_message is None
            else None,
            "can_add_members": members is not None and members.total_form_count() < members.max_num,
            **price_context(edition, data),
        },
    )
    if page_key is None:
        return response
    form_page.keep(page_key, response)
    return form_page.respond(request, response.content.decode(), client)


# The live price -------------------------------------------------------------------------


def price_inputs(data):
    """What the price depends on, from the form's data as sent (a QueryDict; checked or
    not: the price follows what is typed): category, organisation, days and extras, as
    plain values."""

    def number(value):
        return int(value) if re.fullmatch(r"[0-9]{1,17}", str(value)) else None

    return {
        "category": number(data.get("category", "")),
        "organisation_name": str(data.get("organisation_name", ""))[:200],
        "organisation_identifier": str(data.get("organisation_identifier", ""))[:20],
        "days": [str(day)[:10] for day in data.getlist("days")][:31],
        "extras": [pk for pk in map(number, data.getlist("extras")[:50]) if pk is not None],
    }


def price_of(edition, inputs, grid=None):
    """The quote for these inputs (see price_inputs), shown in the active language; None
    until a category of the edition is chosen."""
    grid = grid or pricing.Grid.of(edition)
    category = edition.categories.filter(pk=inputs.get("category")).first()
    if category is None:
        return None
    member = MemberList.of(edition).includes(
        name=inputs.get("organisation_name", ""),
        identifier=inputs.get("organisation_identifier", ""),
    )
    quote = pricing.quote_for(
        edition,
        category=category,
        organisation_is_member=member,
        days=inputs.get("days", []),
        extras=list(Extra.objects.filter(edition=edition, pk__in=inputs.get("extras", []))),
        grid=grid,
    )
    return pricing.shown(quote)


def price_context(edition, data=None):
    """The price box of the registration form: only for an edition that charges, with the
    price of what was sent (a form shown again) and the address the script asks as the
    form changes."""
    grid = pricing.Grid.of(edition)
    if not grid.charges:
        return {"charges": False}
    return {
        "charges": True,
        "price": price_of(edition, price_inputs(data), grid) if data is not None else None,
        "price_url": reverse("registration:price", args=[edition.number]),
    }


@never_cache
def price(request, number):
    """The price the registration form shows, as the person fills it in (static/js/price.js
    sends the form's fields): its lines and total as JSON, and the same as the page's HTML."""
    edition = get_object_or_404(Edition, number=number, is_published=True)
    shown = price_of(edition, price_inputs(request.GET))
    html = render_to_string("registration/_price.html", {"price": shown}, request=request)
    return JsonResponse({"price": shown, "html": html})


def language_buttons(request, form_id):
    """The language switch of a page with a long form: buttons that send the form to the same
    page in the other language (see REDISPLAY), so that switching loses nothing typed."""
    current = translation.get_language()
    return {
        "form": form_id,
        "links": [
            {
                "code": code,
                "name": translation.get_language_info(code)["name_local"],
                "url": translate_url(request.path, code),
                "active": code == current,
            }
            for code, _name in settings.LANGUAGES
        ],
    }


def with_member_rows(data, more):
    """The posted form with MEMBER_ROWS_ADDED more empty member rows (`more`), up to the most;
    sent from the one-person form, which has none, the rows a new form has."""
    data = data.copy()
    try:
        rows = int(data["members-TOTAL_FORMS"])
    except (KeyError, ValueError):
        empty = member_formset()
        rows, more = empty.min_num + empty.extra, False
        data["members-INITIAL_FORMS"] = "0"
    rows = rows + MEMBER_ROWS_ADDED if more else rows
    data["members-TOTAL_FORMS"] = str(min(max(rows, 1), settings.DELEGATION_MAX_MEMBERS))
    return data


def shown_unchecked(form, members, parts=()):
    """Forms sent back to be shown again, not to be recorded: what was typed stays, and no
    message says a field is wrong before the person has sent the form."""
    forms = [form, *(members.forms if members is not None else [])]
    for each in forms:
        each.errors.clear()
    if members is not None:
        members.non_form_errors().clear()
    for part in parts:
        part.clear_errors()


def create_from_form(form, people, edition, invitation=None, parts=()):
    """The registration, and what the form's parts save with it, in one transaction (a part
    saves only for a registration made now: an address already registered is left alone)."""
    with transaction.atomic():
        registration, created = submit_form(form, people, edition, invitation)
        if created:
            for part in parts:
                part.save(registration)
    return registration, created


def submit_form(form, people, edition, invitation=None):
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
        members=people,
        nonce=data["form_token"],
        invitation=invitation,
        extras=list(data.get("extras") or []),
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
    sent_form = sent_to(request)
    email = sent_form.get("email")
    if request.method == "POST" and email:
        if throttled(request, "link", email):
            messages.error(request, _("Too many requests. Please try again later."))
        else:
            services.request_link(edition, email)
            messages.success(request, _("We have sent the e-mail again."))
        return redirect("registration:sent")
    inputs = sent_form.get("price") or {}
    price = price_of(edition, inputs) if inputs.get("edition") == edition.pk else None
    return render(
        request, "registration/sent.html", {"edition": edition, "email": email, "price": price}
    )


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
    return render(
        request,
        "registration/confirm.html",
        {"registration": registration, "head": services.delegation_head(registration)},
    )


@kept_for_the_back_button
def request_link(request):
    edition = open_edition(request)
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if throttled(request, "link", email):
            form.add_error(None, _("Too many requests. Please try again later."))
        else:
            services.request_link(edition, email)
            return remember_sent(
                render(request, "registration/link_sent.html", {"email": email}), email
            )
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
        # From the delegation's own records, an address registered already only as the name
        # the head gave (services.delegations.roster): nothing tells who is registered.
        "members": services.roster(registration),
        # The head's pages (delegation_views): while registrations are open, once the
        # head has confirmed their own address (their members hear from us then).
        "manages_members": registration.is_delegation_head
        and registration.is_active
        and registration.email_confirmed_at is not None
        and edition.registration_status().is_open,
        "can_add_member": registration.is_delegation_head
        and registration.email_confirmed_at is not None
        and services.member_count(registration) < settings.DELEGATION_MAX_MEMBERS,
        "calendar_feed": reverse(
            "registration:calendar_feed",
            args=[registration.public_id, registration.feed_token("sessions")],
        ),
        **extra,
    }


def owed_by(registration):
    """What the private page shows of what the registration owes: None when the edition
    charges nothing."""
    if not pricing.Grid.of(registration.edition).charges:
        return None
    return pricing.shown(pricing.quote(registration))


@never_cache
def private(request, public_id, secret):
    registration = registration_or_404(request, public_id, secret)
    return render(
        request,
        "registration/private.html",
        private_context(
            registration, owed=owed_by(registration) if registration.is_active else None
        ),
    )


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


def sessions_form(request, registration):
    """A registration's sessions form, ticked as they stand (its own page and its head's), and
    whether it was sent to be saved and is valid. Sent to change the language, it is shown
    again as typed, unchecked."""
    current = [choice.session for choice in selectors.choices_of(registration)]
    form = SessionsForm(
        request.POST or None,
        registration=registration,
        places_left=selectors.places_left(registration.edition),
        initial={"sessions": current},
    )
    if request.method == "POST" and REDISPLAY in request.POST:  # the other language
        shown_unchecked(form, None)
        return form, False
    return form, request.method == "POST" and form.is_valid()


@changes_by_registrant
def sessions(request, registration):
    form, saved = sessions_form(request, registration)
    if saved:
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
        private_context(
            registration,
            form=form,
            error_forms=with_errors(form),
            language_buttons=language_buttons(request, "sessions-form"),
        ),
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
def stars(request, public_id, secret):
    """The sessions a registrant stars in the programme: kept with their registration (on any
    device), and in their calendar feed beside the sessions they hold a place in."""
    registration = registration_or_404(request, public_id, secret)
    if not registration.is_active:
        raise Http404
    form = StarsForm(request.POST or None, registration=registration)
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["sessions"])
        if chosen != set(registration.starred_sessions.all()):
            registration.starred_sessions.set(chosen)
        messages.success(request, _("Your starred sessions are saved: your calendar has them."))
        return back_to(registration)
    return render(request, "registration/stars.html", private_context(registration, form=form,
                  error_forms=with_errors(form)))  # fmt: skip


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
def letter(request, public_id, secret):
    """Ask for an invitation letter: what consulates want in it (kept as sensitive data and
    erased soon after the event) and its language; then the letter downloads."""
    registration = registration_or_404(request, public_id, secret)
    if not registration.can_download_invitation:
        raise Http404
    if not registration.edition.issues_invitation_letters:
        return render(request, "registration/letter.html", private_context(registration))
    form = LetterForm(
        request.POST or None,
        instance=Registration.objects.get(pk=registration.pk),
        initial={"language": translation.get_language()},
    )
    if request.method == "POST" and form.is_valid():
        changes = {field: form.cleaned_data[field] for field in form._meta.fields}
        services.update_details(registration, changes, any_time=True)
        url = reverse("registration:invitation", args=[public_id, secret])
        return redirect(f"{url}?{urlencode({'language': form.cleaned_data['language']})}")
    return render(
        request,
        "registration/letter.html",
        private_context(registration, form=form, error_forms=with_errors(form)),
    )


@never_cache
def invitation(request, public_id, secret):
    registration = registration_or_404(request, public_id, secret)
    if not registration.can_download_invitation:
        raise Http404
    if not registration.has_letter_details or not registration.edition.issues_invitation_letters:
        return redirect("registration:letter", public_id, secret)
    language = request.GET.get("language")
    if language not in dict(settings.LANGUAGES):
        language = registration.language
    response = HttpResponse(
        invitation_letter_pdf(registration, language), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="invitation-{registration.edition.number}-{language}.pdf"'
    )
    return response


@never_cache
def letter_check(request, reference):
    """Where the QR code of an invitation letter leads: whether the letter is ours, with the
    name, the edition and the date of the letter, nothing more. A reference we did not sign
    says so, and counts as a wrong link (see found_or_404)."""
    found = read_reference(reference)
    registration = None
    if found is not None:
        registration = (
            Registration.objects.select_related("edition__venue").filter(pk=found[0]).first()
        )
    if registration is None:
        if not ratelimit.allow("link-guess-ip", ratelimit.client_ip(request)):
            raise ratelimit.TooManyRequests
        return render(request, "registration/letter_check.html", {"genuine": False}, status=404)
    valid = registration.status == Registration.Status.CONFIRMED and not is_erased(registration)
    return render(
        request,
        "registration/letter_check.html",
        {"genuine": True, "valid": valid, "registration": registration,
         "edition": registration.edition, "issued_on": found[1]},
    )  # fmt: skip
