"""The organisers' privacy page of an edition: erasure requests to confirm or refuse, and
any person's data to export (for a request received by post). Organiser role only; every
export and decision goes to the audit log."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rencontres import audit
from rencontres.forms import with_errors
from rencontres.registration.models import Registration
from rencontres.roles import PRIVACY, edition_page

from . import services
from .forms import PostRequestForm, SearchForm
from .models import ConsentRecord, ErasureRequest
from .views import data_response


@edition_page(PRIVACY)
def requests(request, edition):
    search = SearchForm(request.GET or None)
    people = Registration.objects.none()
    if search.is_valid() and search.cleaned_data["query"]:
        people = Registration.objects.filter(edition=edition).select_related("organisation")
        for word in search.cleaned_data["query"].split()[:5]:
            people = people.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
            )
        people = people.order_by("last_name", "first_name")[:50]
    pending = ErasureRequest.objects.filter(
        registration__edition=edition, status=ErasureRequest.Status.PENDING
    ).select_related("registration", "registration__organisation")
    decided = (
        ErasureRequest.objects.filter(registration__edition=edition)
        .exclude(status=ErasureRequest.Status.PENDING)
        .select_related("decided_by")
    )
    return render(
        request,
        "privacy/backoffice/requests.html",
        {
            "edition": edition,
            "search": search,
            "people": people,
            "pending": pending,
            "decided": Paginator(decided, 50).get_page(request.GET.get("page")),
        },
    )


@edition_page(PRIVACY)
def person(request, edition, pk):
    registration = get_object_or_404(Registration, edition=edition, pk=pk)
    form = PostRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        erasure_request, created = services.request_erasure(
            registration, form.cleaned_data["channel"]
        )
        if created:
            audit.log(request, edition, "erasure_requested", registration=registration.pk,
                  erasure_request=erasure_request.pk, channel=erasure_request.channel)  # fmt: skip
        messages.success(request, _("The request is recorded: confirm it below to erase."))
        return redirect("backoffice:privacy:person", edition.number, registration.pk)
    return render(
        request,
        "privacy/backoffice/person.html",
        {
            "edition": edition,
            "registration": registration,
            "erased": services.is_erased(registration),
            "form": form,
            "error_forms": with_errors(form),
            "requests": registration.erasure_requests.select_related("decided_by"),
            "consents": ConsentRecord.objects.filter(registration=registration),
        },
    )


@edition_page(PRIVACY)
def person_data(request, edition, pk, kind):
    registration = get_object_or_404(Registration, edition=edition, pk=pk)
    audit.log(request, edition, "personal_data_export", registration=registration.pk, format=kind)
    return data_response(request, registration, kind, edition=edition)


@require_POST
@edition_page(PRIVACY)
def decide(request, edition, pk):
    erasure_request = get_object_or_404(
        ErasureRequest, registration__edition=edition, pk=pk, status=ErasureRequest.Status.PENDING
    )
    registration_pk = erasure_request.registration_id
    if request.POST.get("decision") == "erase" and not request.POST.get("confirmed"):
        # Erasure cannot be undone: one more look before it happens.
        return render(
            request,
            "privacy/backoffice/confirm.html",
            {"edition": edition, "erasure_request": erasure_request},
        )
    if request.POST.get("decision") == "erase":
        services.confirm_erasure(erasure_request, request.user)
        audit.log(request, edition, "erasure_confirmed", registration=registration_pk,
              erasure_request=erasure_request.pk)  # fmt: skip
        messages.success(request, _("The person's data are erased."))
    elif request.POST.get("decision") == "refuse":
        services.refuse_erasure(erasure_request, request.user)
        audit.log(request, edition, "erasure_refused", registration=registration_pk,
              erasure_request=erasure_request.pk)  # fmt: skip
        messages.success(request, _("The request is refused."))
    else:
        messages.error(request, _("Choose to erase or to refuse."))
    return redirect("backoffice:privacy:requests", edition.number)
