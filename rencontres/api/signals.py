"""The changes webhooks report, caught where they are written (in their transaction): a line
of a registration's history, a check-in, a meeting's people."""

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from rencontres.networking.models import Meeting
from rencontres.onsite.models import CheckIn
from rencontres.registration.models import RegistrationEvent

from . import webhooks


@receiver(post_save, sender=RegistrationEvent, dispatch_uid="webhooks_history")
def history_line(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        webhooks.on_history_line(instance)


@receiver(post_save, sender=CheckIn, dispatch_uid="webhooks_check_in")
def check_in(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        webhooks.on_check_in(instance)


@receiver(m2m_changed, sender=Meeting.participants.through, dispatch_uid="webhooks_meeting")
def meeting_people(sender, instance, action, reverse=False, **kwargs):
    if action == "post_add" and not reverse and isinstance(instance, Meeting):
        webhooks.on_meeting(instance)
