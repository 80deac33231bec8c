"""Expire the cached programme pages when anything they show changes.

Bulk queryset updates send no signal; the cache's timeout (settings.PROGRAMME_CACHE_SECONDS)
bounds how long such a change can take to show.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Edition, Room, Session, SessionSpeaker, Speaker


@receiver([post_save, post_delete], sender=Session)
def session_changed(sender, instance, **kwargs):
    Edition.programme_changed(pk=instance.edition_id)


@receiver([post_save, post_delete], sender=SessionSpeaker)
def appearance_changed(sender, instance, **kwargs):
    Edition.programme_changed(sessions__pk=instance.session_id)


@receiver(post_save, sender=Speaker)
def speaker_changed(sender, instance, **kwargs):
    Edition.programme_changed(sessions__appearances__speaker=instance)


@receiver(post_save, sender=Room)
def room_changed(sender, instance, **kwargs):
    Edition.programme_changed(sessions__room=instance)
