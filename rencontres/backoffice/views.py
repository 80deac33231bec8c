"""The back-office of an edition: its home (the menu the role allows), the registrations
list with filters and exports, and the audit log."""

import base64

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from rencontres import audit, qr, ratelimit
from rencontres.forms import new_page_nonce, page_nonce, with_errors
from rencontres.jobs import status_response
from rencontres.models import AuditEntry
from rencontres.pagination import page_of
from rencontres.privacy.visibility import hidden_fields
from rencontres.registration.models import Registration
from rencontres.registration.services import lock_edition
from rencontres.roles import (
    AUDIT,
    DASHBOARD,
    EMAIL,
    EXPORT,
    FEES,
    INVOICES,
    REGISTRATIONS,
    edition_page,
)

from . import dashboard, exports, mailings
from . import person as person_page
from .forms import MailingForm, RegistrationFilters
from .models import Mailing
from .security import LockoutAuthenticationForm, confirmed_device
from .selectors import ALL_STATUSES, registrations


@edition_page(DASHBOARD)
def home(request, edition):
    return render(
        request,
        "backoffice/home.html",
        {
            "edition": edition,
            "capabilities": request.capabilities,
            # What people owe and paid: for those who see the fees or the invoices.
            "figures": dashboard.figures(
                edition, money=bool({FEES, INVOICES} & set(request.capabilities))
            ),
        },
    )


@edition_page(REGISTRATIONS)
def registration_list(request, edition):
    filters = RegistrationFilters(request.GET or None, edition=edition)
    values = filters.values()
    people = registrations(edition, **values)
    page, query_string = page_of(request, people)
    others, every_status = 0, ""
    if not values["status"]:
        # Those the default leaves out (cancelled, rejected, address not confirmed): one
        # click shows them.
        others = registrations(edition, **{**values, "status": ALL_STATUSES}).count()
        others -= page.paginator.count
        query = request.GET.copy()
        query.pop("page", None)
        query["status"] = ALL_STATUSES
        every_status = query.urlencode()
    return render(
        request,
        "backoffice/registrations.html",
        {
            "edition": edition,
            "filters": filters,
            "page": page,
            "query_string": query_string,
            "others": others,
            "every_status": every_status,
            "can_export": EXPORT in request.capabilities,
            "other_separator": "semicolon" if exports.default_separator() == "comma" else "comma",
            "actions": ACTIONS,
            "form_nonce": new_page_nonce(BULK_NONCE),
        },
    )


# The bulk actions' form carries a one-time value of its page, as one person's page does.
BULK_NONCE = "bulk"
ACTIONS = {
    "approve": _("Approve"),
    "reject": _("Reject"),
    "confirm": _("Give a place (from the waiting list)"),
    "cancel": _("Cancel"),
    "resend": _("Send their link again"),
}


@require_POST
@edition_page(REGISTRATIONS)
def registration_action(request, edition):
    """One action on the ticked registrations; each goes through the same service as
    everywhere else (capacities, e-mails, history), done by this organiser."""
    from django.contrib import messages

    action = request.POST.get("action")
    ids = [int(v) for v in request.POST.getlist("ids") if v.isdecimal() and len(v) < 12]
    nonce = page_nonce(request.POST.get("form_nonce"), BULK_NONCE)
    # The same services as on one person's page (person.ACTIONS), for the bulk ones.
    do = person_page.ACTIONS[action][1] if action in ACTIONS else None
    with transaction.atomic():
        # The services' lock first: a second click waits for the first, then finds it done
        # (one e-mail each, not two).
        lock_edition(edition)
        people = list(Registration.objects.filter(edition=edition, pk__in=ids))
        # The same action sent again from the same page (the browser's Back button keeps
        # the page's value: another action chosen there is done).
        done = do is not None and people and audit.done_with(edition, nonce, f"bulk_{action}")
        if (do is None or not people) and not done:
            messages.error(request, _("Tick at least one registration and choose an action."))
        elif not done:
            for person in people:
                do(person, request.user)
            audit.log(request, edition, f"bulk_{action}", registrations=[p.pk for p in people],
                      **({"nonce": nonce} if nonce else {}))  # fmt: skip
    if do is not None and people:
        messages.success(
            request,
            ngettext(
                "%(action)s: done for %(count)s registration.",
                "%(action)s: done for %(count)s registrations.",
                len(people),
            )
            % {"action": ACTIONS[action], "count": len(people)},
        )
    back = request.POST.get("query", "")
    return redirect(
        reverse("backoffice:registrations", args=[edition.number])
        + (f"?{back}" if back and "\n" not in back else "")
    )


def audited(key, value):
    """A filter as the audit log keeps it: the codes chosen (several countries are a list)."""
    if key == "q":
        return "…"
    return [str(item) for item in value] if isinstance(value, list | tuple) else str(value)


@edition_page(EXPORT)
def registration_export(request, edition, kind):
    filters = RegistrationFilters(request.GET or None, edition=edition)
    values = filters.values()
    people = registrations(edition, **values)
    hidden = hidden_fields(request.user, edition)
    # The log says when diets and access needs left in a file.
    sensitive = {"sensitive": sorted(exports.allowed_sensitive(hidden))}
    audit.log(
        request,
        edition,
        f"export_{kind}",
        rows=people.count(),
        # What was searched may be a person's name: the log says that a search was made.
        filters={key: audited(key, value) for key, value in values.items() if value},
        **(sensitive if sensitive["sensitive"] else {}),
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if kind == "xlsx":
        response = HttpResponse(
            exports.as_xlsx(people, edition, hidden),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(
            exports.as_csv(people, edition, hidden, separator=request.GET.get("separator")),
            content_type="text/csv; charset=utf-8",
        )
    response["Content-Disposition"] = (
        f'attachment; filename="registrations-{edition.number}-{stamp}.{kind}"'
    )
    return response


@edition_page(AUDIT)
def audit_log(request, edition):
    # Changes that belong to no edition (accounts, organisations) show in every edition's log.
    entries = AuditEntry.objects.filter(Q(edition=edition) | Q(edition=None)).select_related("user")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "backoffice/audit.html", {"edition": edition, "page": page})


# E-mails to a segment ---------------------------------------------------------------------------


def stored_filters(values):
    """The list's filters as JSON (ids for objects), kept with the mailing; the statuses are
    the mailing's own (ticked on its page)."""
    return {
        key: (value.pk if hasattr(value, "pk") else value)
        for key, value in values.items()
        if value and key not in ("sort", "status")
    }


def initial_statuses(status):
    """The statuses ticked when the page opens, from the list's status filter: the people
    holding or awaiting a place unless the organiser chose otherwise in the list."""
    if status == ALL_STATUSES:
        return [value for value, _label in Registration.Status.choices]
    return [status] if status else list(Registration.HOLDING_OR_AWAITING_A_PLACE)


@edition_page(EMAIL)
def mailing_new(request, edition):
    """Write, preview (with the number of recipients per status), then send: the send button
    comes with the preview, and sends only what was previewed."""
    import secrets

    from django.contrib import messages
    from django.shortcuts import redirect
    from django.utils.translation import gettext as _

    filters = RegistrationFilters(request.GET or None, edition=edition)
    values = filters.values()
    stored = stored_filters(values)
    counts = mailings.counts_by_status(edition, values)
    form = MailingForm(
        request.POST or None,
        initial={
            "nonce": secrets.token_urlsafe(24),
            "statuses": initial_statuses(values["status"]),
        },
        counts=counts,
    )
    preview = summary = None
    action = request.POST.get("action")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        statuses = data["statuses"]
        message = {k: v for k, v in data.items() if k not in ("nonce", "previewed", "statuses")}
        people = mailings.segment(edition, statuses, values)
        sample = people.first()
        checked = mailings.fingerprint(message, statuses, stored)
        draft = Mailing(edition=edition, **message)
        summary = mailings.summary(counts, statuses)
        if sample is None:
            form.add_error("statuses", _("Nobody in the list has the statuses ticked."))
            summary = None
        elif action == "test":
            if not request.user.email:
                form.add_error(None, _("Your account has no e-mail address to send a test to."))
            else:
                mailings.queue_one(draft, sample, recipient=request.user.email)
                messages.success(
                    request, _("A test is on its way to %(email)s.") % {"email": request.user.email}
                )
        elif action == "send" and data["previewed"] == checked:
            mailing, created = mailings.start(
                edition, request.user, message, statuses, counts, stored, data["nonce"]
            )
            if created:
                audit.log(
                    request, edition, "mailing", mailing=mailing.pk, recipients=summary["total"],
                    statuses=statuses,
                )  # fmt: skip
            return redirect("backoffice:mailing", edition.number, mailing.pk)
        elif action == "send":
            messages.warning(
                request,
                _("The message or its recipients changed since the preview: check the preview "
                  "below, then send."),
            )  # fmt: skip
        if summary is not None:
            # The preview, and the fingerprint that the send button carries.
            form.data = form.data.copy()
            form.data["previewed"] = checked
            preview = {"messages": mailings.preview(draft, sample), "sample": sample}
    return render(
        request,
        "backoffice/mailing_form.html",
        {
            "edition": edition,
            "form": form,
            "anyone": any(counts.values()),
            "preview": preview,
            "summary": summary,
            "placeholders": mailings.PLACEHOLDERS,
            "query_string": request.GET.urlencode(),
            "error_forms": with_errors(form),
        },
    )


@edition_page(EMAIL)
def mailing(request, edition, pk):
    from django.shortcuts import get_object_or_404

    found = get_object_or_404(Mailing, edition=edition, pk=pk)
    return render(request, "backoffice/mailing.html", {"edition": edition, "mailing": found})


@edition_page(EMAIL)
def mailing_status(request, edition, pk):
    from django.shortcuts import get_object_or_404

    return status_response(get_object_or_404(Mailing, edition=edition, pk=pk))


# Two-factor authentication ------------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@login_required
@never_cache
def two_factor(request):
    """Set up the authenticator app (scan the QR code, enter a code), or, with one set up,
    confirm this login with its code."""
    import django_otp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = confirmed_device(request.user)
    setting_up = device is None
    if setting_up:
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(
                user=request.user, name="authenticator", confirmed=False
            )
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.allow("login-user", f"otp:{request.user.pk}"):
            form.add_error("code", _("Too many failed logins. Try again in 15 minutes."))
        elif device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            django_otp.login(request, device)
            return redirect(next_url or "admin:index")
        else:
            form.add_error("code", _("This code is not the right one: try the current one."))
    context = {
        "form": form,
        "setting_up": setting_up,
        "error_forms": with_errors(form),
    }
    if setting_up:
        context["qr"] = qr.svg(
            device.config_url, title=_("QR code to scan with your authenticator app")
        )
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "backoffice/two_factor.html", context)


class LoginView(auth_views.LoginView):
    """The back-office login for every member of the team (the admin's is for staff)."""

    template_name = "backoffice/login.html"
    authentication_form = LockoutAuthenticationForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return self.get_redirect_url() or reverse("backoffice:two_factor")


class LogoutView(auth_views.LogoutView):
    next_page = "backoffice:login"
