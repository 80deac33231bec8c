"""Attendance certificates: a present person's own (on their private link), the public page
that checks a reference, and the organisers' page (who is present, check-ins added by hand,
the batch of all certificates, the e-mails, re-issuing one)."""

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from rencontres import audit, ratelimit
from rencontres.forms import new_page_nonce, page_nonce, with_errors
from rencontres.jobs import status_response
from rencontres.registration.models import Registration
from rencontres.registration.views import registration_or_404
from rencontres.roles import CERTIFICATES, edition_page

from . import certificates
from .forms import CheckInByHandForm
from .models import Certificate, CertificateBatch
from .views import pdf_response

organiser_page = edition_page(CERTIFICATES)
NONCE = "certificates-email"


def chosen_language(request, registration):
    language = request.GET.get("language")
    return language if language in certificates.LANGUAGES else registration.language


def certificate_response(certificate, language):
    content = certificates.certificates_pdf(
        certificates.with_statement(Certificate.objects.filter(pk=certificate.pk)), language
    )
    response = pdf_response(
        content, f"certificate-{certificate.registration.edition.number}-{language}.pdf"
    )
    response["Content-Disposition"] = response["Content-Disposition"].replace(
        "inline", "attachment"
    )
    return response


@never_cache
def own_certificate(request, public_id, secret):
    """The person's certificate, in their language or the one asked for; none (404) without
    a check-in."""
    registration = registration_or_404(request, public_id, secret)
    certificate = certificates.issue(registration)
    if certificate is None:
        raise Http404
    return certificate_response(certificate, chosen_language(request, registration))


@never_cache
def certificate_check(request, reference):
    """Where a certificate's QR code leads: whether we issued it, with the name, the edition
    and the days it states, nothing more. A reference we did not issue says so, and counts as
    a wrong link (see registration.views.found_or_404)."""
    certificate = certificates.verified(reference)
    if certificate is None:
        if not ratelimit.allow("link-guess-ip", ratelimit.client_ip(request)):
            raise ratelimit.TooManyRequests
        return render(request, "onsite/certificate_check.html", {"genuine": False}, status=404)
    registration = certificate.registration
    return render(
        request,
        "onsite/certificate_check.html",
        {
            "genuine": True,
            "valid": certificates.is_valid(certificate),
            "certificate": certificate,
            "registration": registration,
            "edition": registration.edition,
        },
    )


# For organisers --------------------------------------------------------------------------------


@organiser_page
def organiser_certificates(request, edition):
    """Who is present (and on which days), a check-in added by hand, and the actions."""
    form = CheckInByHandForm(request.POST or None, edition=edition)
    if request.method == "POST" and form.is_valid():
        person, day = form.person, form.cleaned_data["day"]
        if certificates.add_check_in_by_hand(edition, person, day, request.user):
            audit.log(request, edition, "check_in_added", registration=person.pk,
                      day=day.isoformat())  # fmt: skip
            messages.success(
                request, _("Check-in added for %(name)s.") % {"name": person.full_name}
            )
        else:
            messages.info(
                request, _("%(name)s was already checked in that day.") % {"name": person.full_name}
            )
        return redirect("onsite:certificates", edition.number)
    people = certificates.present_people(edition).annotate(
        check_in_days=Count("check_ins__day", distinct=True)
    ).prefetch_related(
        Prefetch(
            "certificates",
            queryset=Certificate.objects.filter(replaced_at=None),
            to_attr="current",
        )
    )  # fmt: skip
    return render(
        request,
        "onsite/certificates.html",
        {
            "edition": edition,
            "form": form,
            "error_forms": with_errors(form),
            "people": people,
            "batches": CertificateBatch.objects.filter(edition=edition)[:5],
            "nonce": new_page_nonce(NONCE),
        },
    )


@require_POST
@organiser_page
def certificate_batch_new(request, edition):
    batch = certificates.start_batch(edition, request.user)
    audit.log(request, edition, "certificate_batch_started", batch=batch.pk)
    return redirect("onsite:certificate_batch", edition.number, batch.pk)


@organiser_page
def certificate_batch(request, edition, pk):
    found = get_object_or_404(CertificateBatch, edition=edition, pk=pk)
    return render(request, "onsite/certificate_batch.html", {"edition": edition, "batch": found})


@organiser_page
def certificate_batch_status(request, edition, pk):
    return status_response(get_object_or_404(CertificateBatch, edition=edition, pk=pk))


@organiser_page
def certificate_batch_file(request, edition, pk):
    found = get_object_or_404(
        CertificateBatch, edition=edition, pk=pk, status=CertificateBatch.Status.DONE
    )
    if not found.file:  # deleted by an erasure (it had names on it)
        raise Http404
    try:
        content = found.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        content,
        content_type="application/pdf",
        filename=f"certificates-{edition.number}-{found.pk}.pdf",
    )


@require_POST
@organiser_page
def certificates_email(request, edition):
    """E-mail every present person the link to their certificate: each certificate once,
    whatever the number of clicks (see certificates.email_all)."""
    nonce = page_nonce(request.POST.get("nonce"), NONCE)
    sent = 0
    if not audit.done_with(edition, nonce):
        sent = certificates.email_all(edition)
        audit.log(request, edition, "certificates_emailed", count=sent, nonce=nonce)
    messages.success(
        request,
        ngettext(
            "%(count)s e-mail queued (people who already had theirs are not written to again).",
            "%(count)s e-mails queued (people who already had theirs are not written to again).",
            sent,
        )
        % {"count": sent},
    )
    return redirect("onsite:certificates", edition.number)


def present_person_or_404(edition, pk):
    return get_object_or_404(
        Registration.objects.select_related("organisation", "edition__venue"),
        edition=edition,
        pk=pk,
    )


@require_POST
@organiser_page
def certificate_reissue(request, edition, pk):
    """A new certificate for one person (a name corrected since): a new reference; the old
    one's page says it was replaced."""
    person = present_person_or_404(edition, pk)
    certificate = certificates.issue(person, user=request.user, reissue=True)
    if certificate is None:
        raise Http404
    audit.log(request, edition, "certificate_reissued", registration=person.pk,
              certificate=certificate.pk)  # fmt: skip
    messages.success(
        request, _("New certificate issued for %(name)s.") % {"name": person.full_name}
    )
    return redirect("onsite:certificates", edition.number)


@organiser_page
def certificate_pdf(request, edition, pk):
    """One person's certificate, for an organiser (in the person's language)."""
    person = present_person_or_404(edition, pk)
    certificate = certificates.issue(person)
    if certificate is None:
        raise Http404
    return certificate_response(certificate, chosen_language(request, person))
