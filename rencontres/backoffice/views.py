"""The back-office of an edition: its home (the menu the role allows), the registrations
list with filters and exports, and the audit log."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from . import dashboard, exports, roles
from .forms import RegistrationFilters
from .models import AuditEntry
from .roles import AUDIT, DASHBOARD, EXPORT, REGISTRATIONS, edition_page
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
