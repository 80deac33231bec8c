"""The project exchange as participants reach it, through their private link: profile, posts,
directory (showing only what each person chose to show), recommendations, meeting requests,
availability and agenda."""

import functools

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from rencontres import ratelimit
from rencontres.forms import with_errors
from rencontres.pagination import page_of
from rencontres.registration.views import registration_by_feed_or_404, registration_or_404

from . import selectors, services
from .agenda import agenda_calendar, agenda_pdf
from .forms import AvailabilityForm, DirectoryFilters, PostForm, ProfileForm, RequestForm
from .models import CooperationPost, Meeting, MeetingRequest, Profile, Slot
from .services import outcomes
from .services.schedule import busy_slots

PAGE_SIZE = 24


def participant_page(view):
    """A page of a confirmed participant, opened by their private link."""

    @functools.wraps(view)
    def wrapper(request, public_id, secret, **kwargs):
        registration = registration_or_404(request, public_id, secret)
        if registration.status != "confirmed":
            messages.error(
                request, _("The project exchange is open to confirmed participants only.")
            )
            return redirect("registration:private", public_id, secret)
        try:
            return view(request, registration, **kwargs)
        except services.NetworkingError as error:
            messages.error(request, error.message)
            return redirect("networking:home", public_id, secret)

    return never_cache(wrapper)


def back_home(registration):
    return redirect("networking:home", registration.public_id, registration.secret)


def context(registration, **extra):
    return {
        "registration": registration,
        "edition": registration.edition,
        "profile": Profile.objects.filter(registration=registration).first(),
        **extra,
    }


@participant_page
def home(request, registration):
    received, sent = selectors.requests_of(registration)
    return render(
        request,
        "networking/home.html",
        context(
            registration,
            recommendations=selectors.recommendations(registration),
            received=received,
            sent=sent,
            meetings=selectors.meetings_of(registration),
            published=services.is_published(registration.edition),
            posts=CooperationPost.objects.filter(
                profile__registration=registration
            ).prefetch_related("themes"),
        ),
    )


@participant_page
def profile(request, registration):
    instance = Profile.objects.filter(registration=registration).first()
    form = ProfileForm(request.POST or None, instance=instance, registration=registration)
    if request.method == "POST" and form.is_valid():
        services.save_profile(registration, form.cleaned_data)
        messages.success(request, _("Your profile is saved."))
        return back_home(registration)
    return render(
        request,
        "networking/profile_form.html",
        context(registration, form=form, error_forms=with_errors(form)),
    )


def own_post(registration, pk):
    return get_object_or_404(CooperationPost, pk=pk, profile__registration=registration)


@participant_page
def post_form(request, registration, pk=None):
    profile = Profile.objects.filter(registration=registration).first()
    if profile is None:
        messages.info(request, _("Create your profile first: your posts appear on it."))
        return redirect("networking:profile", registration.public_id, registration.secret)
    post = own_post(registration, pk) if pk else None
    form = PostForm(request.POST or None, instance=post)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data}
        services.save_post(profile, data, post=post)
        messages.success(request, _("Your post is saved."))
        return back_home(registration)
    return render(
        request,
        "networking/post_form.html",
        context(registration, form=form, post=post, error_forms=with_errors(form)),
    )


@require_POST
@participant_page
def post_delete(request, registration, pk):
    services.delete_post(own_post(registration, pk))
    messages.success(request, _("Your post is deleted."))
    return back_home(registration)


@participant_page
def directory(request, registration):
    edition = registration.edition
    filters = DirectoryFilters(
        request.GET or None, countries=selectors.directory_countries(edition)
    )
    values = filters.values()
    show = getattr(filters, "cleaned_data", {}).get("show") or ""
    if show:
        items = selectors.filter_posts(selectors.listed_posts(edition), post_kind=show, **values)
    else:
        items = selectors.filter_profiles(selectors.listed_profiles(edition), **values)
    page, query_string = page_of(request, items, PAGE_SIZE)
    return render(
        request,
        "networking/directory.html",
        context(registration, filters=filters, page=page, show=show, query_string=query_string),
    )


def listed_profile_or_404(edition, pk):
    profile = get_object_or_404(
        selectors.listed_profiles(edition).prefetch_related("posts__themes"), pk=pk
    )
    return profile


@participant_page
def person(request, registration, pk):
    profile = listed_profile_or_404(registration.edition, pk)
    other = profile.registration
    existing = services.open_request_between(registration, other)
    form = RequestForm(request.POST or None, registration=registration)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.allow("meeting-request", str(registration.pk)):
            form.add_error(None, _("Too many requests. Please try again later."))
        else:
            try:
                services.request_meeting(
                    registration,
                    other,
                    form.cleaned_data["message"],
                    form.cleaned_data.get("with_delegation", False),
                )
            except services.NetworkingError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("Your request is sent to %(name)s.") % {"name": other.full_name}
                )
                return back_home(registration)
    return render(
        request,
        "networking/person.html",
        context(
            registration,
            person=profile,
            form=form,
            existing=existing,
            error_forms=with_errors(form),
            is_self=other.pk == registration.pk,
            blocked=services.is_blocked(registration, other),
            i_blocked=registration.blocks_made.filter(blocked=other).exists(),
        ),
    )


@require_POST
@participant_page
def block(request, registration, pk):
    """Block (or allow again) requests from a person of the directory. Only listed people can
    be blocked, so that nobody learns the names of those who chose to stay hidden."""
    if request.POST.get("undo"):
        blocked = Profile.objects.filter(
            pk=pk, registration__blocks_received__blocker=registration
        ).first()
        if blocked is not None:
            services.unblock(registration, blocked.registration)
        messages.success(request, _("This person can send you requests again."))
        return back_home(registration)
    other = listed_profile_or_404(registration.edition, pk)
    services.block(registration, other.registration)
    messages.success(
        request,
        _("%(name)s can no longer send you requests.") % {"name": other.registration.full_name},
    )
    return back_home(registration)


@require_POST
@participant_page
def request_action(request, registration, pk):
    meeting_request = get_object_or_404(
        MeetingRequest.objects.select_related("sender", "recipient", "edition"), pk=pk
    )
    if registration.pk not in (meeting_request.sender_id, meeting_request.recipient_id):
        raise Http404
    action = request.POST.get("action")
    if action in ("accept", "decline"):
        services.answer(meeting_request, registration, accept=action == "accept")
        messages.success(
            request,
            _("Meeting accepted: it will appear in your agenda.")
            if action == "accept"
            else _("Request declined."),
        )
    elif action == "withdraw":
        services.withdraw(meeting_request, registration)
        messages.success(request, _("Request withdrawn."))
    else:
        raise Http404
    return back_home(registration)


@require_POST
@participant_page
def meeting_cancel(request, registration, pk):
    meeting = get_object_or_404(
        Meeting.objects.select_related("request", "edition"), pk=pk, participants=registration
    )
    services.cancel_meeting(meeting, registration)
    messages.success(request, _("Meeting cancelled; the others are told."))
    return back_home(registration)


@participant_page
def availability(request, registration):
    slots = Slot.objects.filter(edition=registration.edition)
    busy = busy_slots(list(slots), [registration.pk])[registration.pk]
    unavailable = registration.unavailable_slots.filter(edition=registration.edition)
    form = AvailabilityForm(
        request.POST or None, slots=slots, busy=busy, initial={"unavailable": list(unavailable)}
    )
    if request.method == "POST" and form.is_valid():
        services.set_unavailable(registration, form.cleaned_data["unavailable"])
        messages.success(request, _("Your availability is saved."))
        return back_home(registration)
    return render(
        request,
        "networking/availability.html",
        context(
            registration,
            form=form,
            busy=busy,
            has_slots=slots.exists(),
            error_forms=with_errors(form),
        ),
    )


@participant_page
def agenda(request, registration):
    items, waiting = selectors.agenda(registration)
    outcomes.mark_rateable(registration, [item for *_, kind, item in items if kind == "meeting"])
    return render(
        request,
        "networking/agenda.html",
        context(
            registration,
            items=items,
            waiting=waiting,
            published=services.is_published(registration.edition),
            agenda_feed=reverse(
                "networking:agenda_feed",
                args=[registration.public_id, registration.feed_token("agenda")],
            ),
        ),
    )


@never_cache
def agenda_feed(request, public_id, token):
    """The agenda for calendar apps, at a read-only address (see Registration.feed_token)."""
    registration = registration_by_feed_or_404(request, public_id, "agenda", token)
    if registration.status != "confirmed":
        raise Http404
    return agenda_response(registration, "ics")


@participant_page
def agenda_download(request, registration, kind):
    return agenda_response(registration, kind)


def agenda_response(registration, kind):
    if kind == "pdf":
        response = HttpResponse(agenda_pdf(registration), content_type="application/pdf")
        name = f"agenda-{registration.edition.number}.pdf"
    else:
        response = HttpResponse(
            agenda_calendar(registration), content_type="text/calendar; charset=utf-8"
        )
        name = f"agenda-{registration.edition.number}.ics"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
