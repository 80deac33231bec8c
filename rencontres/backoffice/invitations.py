"""Back-office pages for invitations: the list with its states, the import of a list (upload,
preview with each row's problems, confirmation) and sending the e-mails."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from rencontres import audit
from rencontres.forms import with_errors
from rencontres.pagination import page_of
from rencontres.registration.models import Invitation
from rencontres.registration.services.invitations import invites_returning, returning_participants
from rencontres.roles import INVITATIONS, edition_page

from . import imports
from .forms import InvitationFilters, InvitationImportForm
from .models import InvitationImport
from .selectors import matching
from .tasks import invite_returning, send_invitations


@edition_page(INVITATIONS)
def invitation_list(request, edition):
    invitations = (
        Invitation.objects.filter(edition=edition)
        .select_related("category", "registration")
        .with_registered_anyway()
    )
    counts = invitations.counts()
    filters = InvitationFilters(request.GET or None)
    values = filters.values()
    if values["state"]:
        invitations = invitations.in_state(values["state"])
    invitations = matching(
        invitations, values["query"], "last_name", "first_name", "email", "organisation_name"
    )
    page, query_string = page_of(request, invitations)
    return render(
        request,
        "backoffice/invitations.html",
        {
            "edition": edition,
            "filters": filters,
            "counts": counts,
            # Past participants who asked to hear of the next editions, not invited yet.
            "returning_waiting": returning_participants(edition).count(),
            "returning_invited": Invitation.objects.filter(edition=edition, returning=True).count(),
            "invites_returning": invites_returning(edition),
            "page": page,
            "query_string": query_string,
            "error_forms": with_errors(filters),
        },
    )


@require_POST
@edition_page(INVITATIONS)
def invitation_send(request, edition):
    waiting = Invitation.objects.filter(edition=edition).in_state("not_sent").count()
    if waiting:
        send_invitations.enqueue(edition.pk)
        audit.log(request, edition, "invitations_sent", count=waiting)
        messages.success(
            request,
            ngettext(
                "%(count)s invitation is being sent through the outbox.",
                "%(count)s invitations are being sent through the outbox.",
                waiting,
            )
            % {"count": waiting},
        )
    else:
        messages.info(request, _("Every invitation has already been sent."))
    return redirect("backoffice:invitations", edition.number)


@require_POST
@edition_page(INVITATIONS)
def invitation_returning(request, edition):
    """Invite the past participants who asked, now rather than at the next daily run."""
    if not invites_returning(edition):
        messages.error(request, _("Past participants are invited once registration is open."))
        return redirect("backoffice:invitations", edition.number)
    waiting = returning_participants(edition).count()
    if waiting:
        invite_returning.enqueue(edition.pk)
        audit.log(request, edition, "returning_invited", count=waiting)
        messages.success(
            request,
            ngettext(
                "%(count)s past participant is being invited through the outbox.",
                "%(count)s past participants are being invited through the outbox.",
                waiting,
            )
            % {"count": waiting},
        )
    else:
        messages.info(request, _("Every past participant who asked is already invited."))
    return redirect("backoffice:invitations", edition.number)


@edition_page(INVITATIONS)
def invitation_import(request, edition):
    form = InvitationImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            pending = imports.check_file(edition, form.cleaned_data["file"])
        except imports.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            pending.created_by = request.user
            pending.send_emails = form.cleaned_data["send_emails"]
            pending.save()
            return redirect("backoffice:invitation_preview", edition.number, pending.pk)
    return render(
        request,
        "backoffice/invitation_import.html",
        {"edition": edition, "form": form, "error_forms": with_errors(form)},
    )


@edition_page(INVITATIONS)
def invitation_preview(request, edition, pk):
    pending = get_object_or_404(InvitationImport, edition=edition, pk=pk)
    if request.method == "POST" and pending.status == InvitationImport.Status.PREVIEW:
        try:
            pending = imports.import_invitations(pending)
        except imports.ListChanged:
            messages.error(
                request,
                _("Someone invited some of these people meanwhile. Nothing was imported: "
                  "upload the list again to see it as it is now."),
            )  # fmt: skip
            return redirect("backoffice:invitation_import", edition.number)
        if pending.status == InvitationImport.Status.IMPORTED:
            audit.log(
                request, edition, "invitations_imported", list=pending.pk, count=pending.imported
            )
            messages.success(
                request,
                ngettext("%(count)s person invited.", "%(count)s people invited.", pending.imported)
                % {"count": pending.imported}
                + (" " + _("Their e-mails are being sent.") if pending.send_emails else ""),
            )
            return redirect("backoffice:invitations", edition.number)
    return render(
        request,
        "backoffice/invitation_import.html",
        {
            "edition": edition,
            "pending": pending,
            "preview_rows": pending.rows[:20],
            "form": InvitationImportForm(initial={"send_emails": pending.send_emails}),
            "reasons": {
                "registered": _("already registered"),
                "invited": _("already invited"),
            },
        },
    )
