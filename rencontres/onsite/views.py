"""Badges (a participant's own, one or a batch for organisers) and the check-in desk: the
scanning page, its JSON API (scan, offline sync, the list for offline use), the search for
people without a badge, and the live figures."""

import datetime
import json

from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from rencontres import audit
from rencontres.forms import with_errors
from rencontres.headers import allow_features
from rencontres.jobs import status_response
from rencontres.registration.models import Registration
from rencontres.registration.views import registration_or_404
from rencontres.roles import BADGES, CHECK_IN, CHECK_IN_DAYS, edition_page

from . import selectors, services
from .badges import badges_pdf
from .forms import BatchForm, DoorRegistrationForm, SearchForm
from .models import BadgeBatch, BadgePrinting


def pdf_response(content, filename):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@never_cache
def own_badge(request, public_id, secret):
    registration = registration_or_404(request, public_id, secret)
    if registration.status != Registration.Status.CONFIRMED:
        raise Http404
    content, _pages = badges_pdf([registration], "a6")
    return pdf_response(content, f"badge-{registration.edition.number}.pdf")


organiser_page = edition_page(BADGES)
desk_page = edition_page(CHECK_IN)


# Badges for organisers ------------------------------------------------------------------------


@organiser_page
def badges(request, edition):
    form = BatchForm(request.POST or None, edition=edition)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        batch = services.start_batch(
            edition,
            request.user,
            data["layout"],
            data["categories"],
            data["country"],
            data["not_printed"],
        )
        return redirect("onsite:batch", edition.number, batch.pk)
    return render(
        request,
        "onsite/badges.html",
        {
            "edition": edition,
            "form": form,
            "batches": BadgeBatch.objects.filter(edition=edition)[:10],
            "error_forms": with_errors(form),
        },
    )


@organiser_page
def batch(request, edition, pk):
    found = get_object_or_404(BadgeBatch, edition=edition, pk=pk)
    return render(request, "onsite/batch.html", {"edition": edition, "batch": found})


@organiser_page
def batch_status(request, edition, pk):
    found = get_object_or_404(BadgeBatch, edition=edition, pk=pk)
    return status_response(found)


@organiser_page
def batch_file(request, edition, pk):
    found = get_object_or_404(BadgeBatch, edition=edition, pk=pk, status=BadgeBatch.Status.DONE)
    if not found.file:  # deleted by an erasure or a purge (it had names on it)
        raise Http404
    try:
        content = found.file.open("rb")
    except FileNotFoundError:  # removed from the storage since (or kept by another server)
        raise Http404 from None
    return FileResponse(
        content,
        content_type="application/pdf",
        filename=f"badges-{edition.number}-{found.pk}.pdf",
    )


@require_POST
@desk_page
def one_badge(request, edition, public_id):
    """A badge printed at the desk for someone who has none: the desk's button posts, so
    that only a person's click records a printing (a link could be followed by a prefetch,
    a crawler or a reload, each counting as a badge printed)."""
    registration = get_object_or_404(
        Registration.objects.select_related("category", "organisation", "edition"),
        edition=edition,
        public_id=public_id,
        status=Registration.Status.CONFIRMED,
    )
    BadgePrinting.objects.create(registration=registration)
    content, _pages = badges_pdf([registration], "a6")
    return pdf_response(content, f"badge-{registration.pk}.pdf")


# The check-in desk ----------------------------------------------------------------------------


@desk_page
@allow_features(camera=["self"])  # the phone's camera scans badges
def desk(request, edition):
    form = SearchForm(request.GET or None)
    found = []
    if form.is_bound and form.is_valid():
        found = selectors.desk_search(edition, form.cleaned_data["q"])
    today = timezone.localdate()
    checked = set(selectors.checked_in(edition, today).values_list("pk", flat=True))
    return render(
        request,
        "onsite/desk.html",
        {
            "edition": edition,
            "accepted_today": selectors.accepts_check_ins(edition, today),
            "extra_day": selectors.extra_day(edition, today),
            "edition_dates": services.edition_dates(edition),
            "can_switch_days": CHECK_IN_DAYS in request.capabilities,
            "form": form,
            "found": found,
            "checked": checked,
            "searched": form.is_bound,
            "result": request.session.pop("desk_result", None),
            "texts": desk_texts(edition),
            "sessions": selectors.entry_sessions(edition),
        },
    )


def desk_texts(edition):
    """The words the desk's script shows, in the page's language."""
    return {
        "welcome": _("Welcome!"),
        "already": _("Already checked in"),
        "already_at": _("Already checked in at %(time)s by door %(door)s"),
        "not_confirmed": _("Not allowed in"),
        "not_on_list": _("Not on this session's list"),
        "outside_days": _("No check-in today"),
        "outside_days_reason": services.outside_days_reason(edition),
        "unknown": _("Unknown badge"),
        "unknown_offline": _("Not in the list downloaded for offline use."),
        "refused": _("The server refused this scan: reload the page and log in again."),
        "refused_offline": _("Checked offline but refused by the server:"),
        "sessions": _("Sessions:"),
        "online": _("Online"),
        "offline": _("Offline: scans are kept on this device"),
        "offline_note": _("Checked offline: it will be sent when the network returns."),
        # Counted in the page: [singular, plural], the page chooses by its language's rule.
        "queued": [
            ngettext(
                "%(count)s check-in waiting to be sent", "%(count)s check-ins waiting to be sent", n
            )
            for n in (1, 2)
        ],
        "list": [
            ngettext(
                "list of %(count)s person ready for offline use",
                "list of %(count)s people ready for offline use",
                n,
            )
            for n in (1, 2)
        ],
        "no_camera": _("The camera cannot be opened: type or scan the code in the field."),
        "unsent_logout": [
            ngettext(
                "%(count)s check-in could not be sent yet. Log out anyway and lose it? "
                "Cancel, then send it once the network is back.",
                "%(count)s check-ins could not be sent yet. Log out anyway and lose them? "
                "Cancel, then send them once the network is back.",
                n,
            )
            for n in (1, 2)
        ],
    }


@require_POST
@edition_page(CHECK_IN_DAYS)
def check_in_days(request, edition):
    """An organiser's switch at the desk: accept check-ins today although it is not a day of
    the edition (or stop). Every desk shows it; the audit log keeps who and when."""
    today = timezone.localdate()
    if request.POST.get("accept") == "1":
        if services.accept_check_ins_on(edition, today, request.user):
            audit.log(request, edition, "check_in_day_opened", day=today.isoformat())
    elif services.refuse_check_ins_on(edition, today):
        audit.log(request, edition, "check_in_day_closed", day=today.isoformat())
    return redirect(reverse("onsite:desk", args=[edition.number]))


@require_POST
@desk_page
def desk_check_in(request, edition, pk):
    """A check-in by hand, from the search (works without JavaScript)."""
    registration = get_object_or_404(Registration, edition=edition, pk=pk)
    status, details = services.check_in(
        edition, registration, door=request.POST.get("door", ""), agent=request.user, device="desk"
    )
    request.session["desk_result"] = {"status": status, **details}
    return redirect(reverse("onsite:desk", args=[edition.number]))


@desk_page
def register_at_the_door(request, edition):
    if not edition.allows_onsite_registration:
        raise Http404
    form = DoorRegistrationForm(request.POST or None, edition=edition)
    if request.method == "POST" and form.is_valid():
        registration, status = services.register_at_the_door(
            edition, form.details(), request.user, nonce=form.cleaned_data["form_nonce"]
        )
        request.session["desk_result"] = {
            "status": status,
            **services.describe(registration),
            "reason": ""
            if status == services.OK
            else services.outside_days_reason(edition)
            if status == services.OUTSIDE_DAYS
            else registration.get_status_display(),
        }
        return redirect(reverse("onsite:desk", args=[edition.number]) + f"?q={registration.email}")
    return render(request, "onsite/register.html", {
        "edition": edition, "form": form,
        "error_forms": with_errors(form),
    })  # fmt: skip


def json_body(request):
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def scan_item(edition, item, user, offline, sessions=None):
    """One scan, as the page sends it: {"id", "token", "door", "device", "at", "session"}."""
    if not isinstance(item, dict):
        return {"status": services.UNKNOWN}
    # Online scans are dated by the server; an offline scan keeps the device's time (the
    # service refuses times too far from now).
    at = None
    if offline and isinstance(item.get("at"), str) and len(item["at"]) < 40:
        try:
            at = parse_datetime(item["at"])
        except (ValueError, OverflowError):
            at = None
        if at is not None and timezone.is_naive(at):
            at = None
    return services.check_in_scan(
        edition,
        str(item.get("token", ""))[:200],
        session_key=item.get("session"),
        sessions=sessions,
        scan_id=str(item.get("id", ""))[:64],
        door=str(item.get("door", ""))[:60],
        device=str(item.get("device", ""))[:60],
        agent=user,
        at=at,
        offline=offline,
    )


@require_POST
@desk_page
def api_scan(request, edition):
    if request.content_type != "application/json":
        # The scan form without JavaScript (a hand-held scanner types the code and Enter).
        result = scan_item(
            edition,
            {
                "token": request.POST.get("token", ""),
                "door": request.POST.get("door", ""),
                "session": request.POST.get("session", ""),
                "device": "form",
            },
            request.user,
            offline=False,
        )
        request.session["desk_result"] = result
        return redirect(reverse("onsite:desk", args=[edition.number]))
    data = json_body(request)
    if data is None:
        return JsonResponse({"error": "a JSON object is expected"}, status=400)
    return JsonResponse(scan_item(edition, data, request.user, offline=False))


@require_POST
@desk_page
def api_sync(request, edition):
    """Scans queued while the network was down: each is recorded once, whatever the retries."""
    data = json_body(request)
    items = data.get("items") if data else None
    if not isinstance(items, list) or len(items) > 2000:
        return JsonResponse({"error": "a list of at most 2,000 items is expected"}, status=400)
    sessions = selectors.entry_sessions_by_key(edition)
    results = []
    for item in items:
        try:
            results.append(scan_item(edition, item, request.user, True, sessions))
        except (ValueError, OverflowError, TypeError):  # one bad item never blocks the queue
            results.append({"status": services.UNKNOWN})
    return JsonResponse({"results": results})


@desk_page
def api_list(request, edition):
    """The list a desk keeps to check badges without network (selectors.offline_list). The
    desk keeps it in the browser until `expires_at`, replaces it at each refresh (a cancelled
    or erased person leaves it then), and drops it when it is refused the list (logged out,
    role taken away) or logs out. An unchanged list answers 304 to the desk's If-None-Match."""
    listing = selectors.offline_list(edition, timezone.localdate())
    etag = f'"{listing.version}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        now = timezone.now()
        response = JsonResponse(
            {
                "generated_at": now.isoformat(),
                "expires_at": listing.expires_at(now).isoformat(),
                **listing.content,
            }
        )
    response["ETag"] = etag
    return response


@desk_page
def live_figures(request, edition):
    day = request.GET.get("day")
    try:
        day = datetime.date.fromisoformat(day) if day else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    figures = services.figures(edition, day)
    most = max([count for _q, count in figures["quarters"]] or [1])
    return render(
        request,
        "onsite/figures.html",
        {
            "edition": edition,
            "day": day,
            "figures": figures,
            "most": most,
            "days": selectors.check_in_days(edition),
        },
    )
