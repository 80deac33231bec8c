"""The pages where people say what came of their meetings: opened from the e-mails' one-click
links (a signed token, no private link needed) or from their agenda. Opening a link shows the
answer to confirm and writes nothing; the button's POST saves it."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from rencontres.forms import with_errors

from .forms import FollowUpForm, RatingForm
from .models import CooperationFollowUp, Meeting, MeetingRating
from .services import outcomes
from .views import participant_page


def current_outcome(meeting, registration):
    return (
        MeetingRating.objects.filter(meeting=meeting, registration=registration)
        .values_list("outcome", flat=True)
        .first()
    )


def others(meeting, registration):
    return [
        person
        for person in meeting.participants.select_related("organisation").order_by("pk")
        if person.pk != registration.pk
    ]


def rating_page(request, meeting, registration, preselected, done_url, cancel_url=None):
    rateable = outcomes.can_rate(meeting)
    form = RatingForm(request.POST or None, initial={"outcome": preselected})
    if rateable and request.method == "POST" and form.is_valid():
        outcomes.rate(meeting, registration, form.cleaned_data["outcome"])
        messages.success(request, _("Thank you: your answer is saved."))
        return redirect(done_url)
    return render(
        request,
        "networking/rate.html",
        {
            "form": form,
            "meeting": meeting,
            "registration": registration,
            "edition": registration.edition,
            "others": others(meeting, registration),
            "saved": current_outcome(meeting, registration),
            "cancel_url": cancel_url,
            "rateable": rateable,
        },
    )


@never_cache
def rate_link(request, token):
    found = outcomes.from_rating_token(token)
    if found is None:
        raise Http404
    meeting, registration, outcome = found
    return rating_page(request, meeting, registration, outcome, request.path)


@participant_page
def rate(request, registration, pk):
    meeting = get_object_or_404(
        Meeting.objects.select_related("slot", "edition"), pk=pk, participants=registration
    )
    agenda = redirect("networking:agenda", registration.public_id, registration.secret).url
    return rating_page(
        request,
        meeting,
        registration,
        current_outcome(meeting, registration),
        agenda,
        cancel_url=agenda,
    )


@never_cache
def follow_up_link(request, token):
    found = outcomes.from_follow_up_token(token)
    if found is None:
        raise Http404
    meeting, registration = found
    follow_up = CooperationFollowUp.objects.get(meeting=meeting, registration=registration)
    initial = {
        "status": follow_up.status or None,
        "text": follow_up.text,
        "may_publish": follow_up.may_publish,
    }
    form = FollowUpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        outcomes.answer_follow_up(meeting, registration, **form.cleaned_data)
        messages.success(request, _("Thank you: your answer is saved."))
        return redirect(request.path)
    return render(
        request,
        "networking/follow_up.html",
        {
            "form": form,
            "error_forms": with_errors(form),
            "meeting": meeting,
            "registration": registration,
            "edition": registration.edition,
            "others": others(meeting, registration),
            "saved": follow_up.answered_at is not None,
        },
    )
