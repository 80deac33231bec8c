"""The privacy notice page, and the person's own privacy page through their private link:
consents to give or withdraw, their data to download, and an erasure request."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from rencontres.forms import with_errors
from rencontres.registration.services import set_consent
from rencontres.registration.views import registration_or_404
from rencontres.templatetags.site import colon

from . import services
from .consents import WORDING
from .forms import ConsentForm, ErasureForm
from .models import ConsentRecord, ErasureRequest
from .notice import notice as build_notice


def notice(request):
    return render(request, "privacy/notice.html", {"notice": build_notice()})


def back(registration):
    return redirect("privacy:private", registration.public_id, registration.secret)


@never_cache
def private(request, public_id, secret):
    registration = registration_or_404(request, public_id, secret)
    return render(request, "privacy/private.html", private_context(registration))


def private_context(registration, **extra):
    return {
        "registration": registration,
        "edition": registration.edition,
        "consents": [
            (consent, WORDING[consent], given, when)
            for consent, given, when in services.current_consents(registration)
        ],
        "history": ConsentRecord.objects.filter(registration=registration),
        "pending_erasure": ErasureRequest.objects.filter(
            registration=registration, status=ErasureRequest.Status.PENDING
        ).first(),
        **extra,
    }


@require_POST
@never_cache
def consent(request, public_id, secret):
    registration = registration_or_404(request, public_id, secret)
    form = ConsentForm(request.POST)
    if form.is_valid():
        given = form.cleaned_data["given"]
        set_consent(
            registration,
            form.cleaned_data["consent"],
            given,
            ConsentRecord.Source.PRIVATE_PAGE,
        )
        messages.success(
            request, _("Your consent is recorded.") if given else _("Your consent is withdrawn.")
        )
    return back(registration)


@never_cache
def data(request, public_id, secret, kind):
    registration = registration_or_404(request, public_id, secret)
    return data_response(request, registration, kind)


def data_response(request, registration, kind, edition=None):
    """The export as a JSON file, or as a page to read or print (to PDF from the browser):
    the person's own, on the public site; with `edition`, the team's, in the back-office."""
    if kind == "json":
        response = HttpResponse(
            services.export_json(registration), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="my-data-{registration.edition.number}.json"'
        )
        return response
    export = services.export_data(registration)
    for section in export["sections"]:
        titles = section["fields"]
        section["readable"] = [
            [(titles[name], readable(value)) for name, value in row.items()]
            for row in section["rows"]
        ]
    return render(request, "privacy/data.html", {
        "registration": registration, "export": export, "edition": edition,
        "layout": "backoffice/base.html" if edition else "base.html",
    })  # fmt: skip


def readable(value):
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    # Nested values (an e-mail's context) read as the language writes them ("salle : …" in
    # French), never as Python would print them.
    if isinstance(value, list):
        return ", ".join(readable(item) for item in value)
    if isinstance(value, dict):
        return pgettext("between the items of a sentence", "; ").join(
            f"{colon(key)} {readable(item)}" for key, item in value.items()
        )
    if isinstance(value, str) and len(value) >= 25 and value[10:11] == "T":
        moment = parse_datetime(value)
        if moment is not None:
            return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    return str(value)


@never_cache
def erasure(request, public_id, secret):
    registration = registration_or_404(request, public_id, secret)
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_erasure(registration, ErasureRequest.Channel.PRIVATE_PAGE)
        messages.success(
            request,
            _("Your request is recorded. The organisers will confirm it and erase your data."),
        )
        return back(registration)
    return render(
        request,
        "privacy/erasure.html",
        private_context(registration, form=form, error_forms=with_errors(form)),
    )
