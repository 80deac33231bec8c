"""The back-office of an edition: its home (the menu the role allows), the registrations
list with filters and exports, and the audit log."""

from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from . import dashboard, exports, roles
from .forms import MailingForm, RegistrationFilters
from .models import AuditEntry
from .roles import AUDIT, DASHBOARD, EMAIL, EXPORT, REGISTRATIONS, edition_page
from .selectors import registrations


@edition_page(DASHBOARD)
def home(request, edition):
    return render(
        request,
        "backoffice/home.html",
        {
            "edition": edition,
            "capabilities": request.capabilities,
            "figures": dashboard.figures(edition),
        },
    )


@edition_page(REGISTRATIONS)
def registration_list(request, edition):
    filters = RegistrationFilters(request.GET or None, edition=edition)
    people = registrations(edition, **filters.values())
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "backoffice/registrations.html",
        {
            "edition": edition,
            "filters": filters,
            "page": page,
            "query_string": query.urlencode(),
            "can_export": EXPORT in request.capabilities,
        },
    )


@edition_page(EXPORT)
def registration_export(request, edition, kind):
    filters = RegistrationFilters(request.GET or None, edition=edition)
    values = filters.values()
    people = registrations(edition, **values)
    roles.audit(
        request,
        edition,
        f"export_{kind}",
        rows=people.count(),
        filters={key: str(value) for key, value in values.items() if value},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if kind == "xlsx":
        response = HttpResponse(
            exports.as_xlsx(people),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(exports.as_csv(people), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="registrations-{edition.number}-{stamp}.{kind}"'
    )
    return response


@edition_page(AUDIT)
def audit_log(request, edition):
    entries = AuditEntry.objects.filter(edition=edition).select_related("user")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "backoffice/audit.html", {"edition": edition, "page": page})


# E-mails to a segment ---------------------------------------------------------------------------


def stored_filters(values):
    """The list's filters as JSON (ids for objects), kept with the mailing."""
    return {
        key: (value.pk if hasattr(value, "pk") else value)
        for key, value in values.items()
        if value and key != "sort"
    }


@edition_page(EMAIL)
def mailing_new(request, edition):
    import secrets

    from django.contrib import messages
    from django.db import IntegrityError
    from django.shortcuts import redirect
    from django.utils.translation import gettext as _

    from . import mailings
    from .models import Mailing
    from .tasks import send_mailing

    filters = RegistrationFilters(request.GET or None, edition=edition)
    values = filters.values()
    people = registrations(edition, **values)
    count = people.values("email").distinct().count()
    sample = people.first()
    form = MailingForm(request.POST or None, initial={"nonce": secrets.token_urlsafe(24)})
    preview = None
    if request.method == "POST" and form.is_valid() and sample is not None:
        data = form.cleaned_data
        draft = Mailing(edition=edition, **{k: v for k, v in data.items() if k != "nonce"})
        action = request.POST.get("action")
        if action == "test":
            if not request.user.email:
                form.add_error(None, _("Your account has no e-mail address to send a test to."))
            else:
                mailings.queue_one(draft, sample, recipient=request.user.email)
                messages.success(
                    request, _("A test is on its way to %(email)s.") % {"email": request.user.email}
                )
        elif action == "send":
            try:
                with transaction.atomic():
                    mailing = Mailing.objects.create(
                        edition=edition,
                        created_by=request.user,
                        filters=stored_filters(values),
                        **data,
                    )
            except IntegrityError:  # the same form sent twice
                mailing = Mailing.objects.get(nonce=data["nonce"])
            else:
                roles.audit(request, edition, "mailing", mailing=mailing.pk, recipients=count)
                transaction.on_commit(lambda: send_mailing.enqueue(mailing.pk))
            return redirect("backoffice:mailing", edition.number, mailing.pk)
        preview = []
        for language in ("fr", "en"):
            sample.language = language
            subject, body = mailings.message_for(draft, sample)
            preview.append((language, subject, body))
    return render(
        request,
        "backoffice/mailing_form.html",
        {
            "edition": edition,
            "form": form,
            "count": count,
            "sample": sample,
            "preview": preview,
            "placeholders": mailings.PLACEHOLDERS,
            "query_string": request.GET.urlencode(),
            "error_forms": [form] if form.is_bound and form.errors else [],
        },
    )


@edition_page(EMAIL)
def mailing(request, edition, pk):
    from django.shortcuts import get_object_or_404

    from .models import Mailing

    found = get_object_or_404(Mailing, edition=edition, pk=pk)
    return render(request, "backoffice/mailing.html", {"edition": edition, "mailing": found})


@edition_page(EMAIL)
def mailing_status(request, edition, pk):
    from django.http import JsonResponse
    from django.shortcuts import get_object_or_404

    from .models import Mailing

    found = get_object_or_404(Mailing, edition=edition, pk=pk)
    share = 100 * found.queued // found.total if found.total else 0
    status = "done" if found.status == Mailing.Status.SENT else found.status
    return JsonResponse({"status": status, "progress": share})
