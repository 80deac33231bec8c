"""Receivers: a cancelled registration closes its requests and frees its meetings' tables."""

from django.dispatch import receiver

from rencontres.registration.signals import registration_cancelled

from .services import registration_cancelled as cancelled


@receiver(registration_cancelled)
def free_meetings(sender, registration, **kwargs):
    cancelled(registration)
