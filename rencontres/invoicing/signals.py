"""An issued invoice or credit note is deleted only once its retention is over, however the
deletion comes (a queryset, a cascade, the admin), and takes its PDF with it. A registration
confirmed in a category invoiced on confirmation gets its invoice from the worker, once the
confirmation is committed."""

from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from rencontres import background
from rencontres.registration.signals import registration_confirmed

from .models import CreditNote, CreditNoteLine, Invoice, InvoiceLine, refuse_deletion


@receiver(pre_delete, sender=Invoice, dispatch_uid="invoicing.keep_invoice")
@receiver(pre_delete, sender=CreditNote, dispatch_uid="invoicing.keep_credit_note")
def keep_issued(sender, instance, **kwargs):
    refuse_deletion(instance)


@receiver(pre_delete, sender=InvoiceLine, dispatch_uid="invoicing.keep_invoice_line")
@receiver(pre_delete, sender=CreditNoteLine, dispatch_uid="invoicing.keep_credit_note_line")
def keep_issued_line(sender, instance, **kwargs):
    refuse_deletion(instance.document)


@receiver(post_delete, sender=Invoice, dispatch_uid="invoicing.invoice_file")
@receiver(post_delete, sender=CreditNote, dispatch_uid="invoicing.credit_note_file")
def delete_file(sender, instance, **kwargs):
    if instance.file:
        instance.file.delete(save=False)


@receiver(registration_confirmed, dispatch_uid="invoicing.invoice_on_confirmation")
def invoice_on_confirmation(sender, registration, **kwargs):
    category = registration.category
    if category.invoiced and category.invoice_on_confirmation:
        background.enqueue_on_commit("rencontres.invoicing.tasks.issue_on_confirmation",
                                     registration.pk)  # fmt: skip
