"""The payer's pages on a private link: who pays for this registration (changed at any time,
also after the deadline: an invoice may still be to come), and the invoices and credit notes
billed to it, each a Factur-X PDF downloaded through this link only."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from rencontres.forms import with_errors
from rencontres.registration.views import private_context, registration_or_404

from . import selectors, services
from .forms import PayerForm
from .models import CreditNote, Invoice


def payer_form(data, registration, instance=None):
    return PayerForm(
        data, instance=instance, organisation=registration.organisation, person=registration,
        delegation=registration.is_delegation_head,
        initial=None if instance else {"kind": "own_organisation",
                                        "language": registration.language},
    )  # fmt: skip


@never_cache
def payer(request, public_id, secret):
    registration = registration_or_404(request, public_id, secret)
    if not registration.category.invoiced and not registration.invoices.exists():
        raise Http404
    own = selectors.Payer.objects.filter(registration=registration).first()
    form = payer_form(request.POST or None, registration, own)
    if request.method == "POST" and registration.is_active and form.is_valid():
        services.save_payer(registration, form.payer_data())
        messages.success(request, _("Who pays is saved: the next invoice goes to this payer."))
        return redirect("invoicing:payer", public_id, secret)
    return render(
        request,
        "invoicing/payer.html",
        private_context(
            registration,
            form=form,
            error_forms=with_errors(form),
            own=own,
            paid_by=selectors.payer_of(registration),
            invoices=selectors.invoices_of(registration),
        ),
    )


@never_cache
def own_document(request, public_id, secret, number):
    """An invoice or credit note that bills this registration, as issued."""
    registration = registration_or_404(request, public_id, secret)
    document = (
        Invoice.objects.filter(registrations=registration, number=number).first()
        or CreditNote.objects.filter(invoice__registrations=registration, number=number).first()
    )
    return file_response(document)


def file_response(document):
    if document is None or not document.file:
        raise Http404
    try:
        content = document.file.open("rb")
    except FileNotFoundError:  # gone from the storage (or kept by another server)
        raise Http404 from None
    return FileResponse(content, content_type="application/pdf", filename=document.file_name)
