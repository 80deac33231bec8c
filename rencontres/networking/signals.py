"""Receivers: a cancelled registration closes its requests and frees its meetings' tables; a
change to what the recommendations read (profiles, posts, who is listed and where from) bumps
the edition's networking version, which expires its cached recommendations and the directory's
list of countries.

Bulk queryset updates send no signal; the cache's timeout (settings.NETWORKING_CACHE_SECONDS)
bounds how long such a change can take to show. Blocks and meeting requests need no receiver:
the cache key holds the people they leave out (selectors.recommendations).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from rencontres.editions.models import Edition
from rencontres.registration.models import Organisation, Registration
from rencontres.registration.signals import registration_cancelled

from .models import CooperationPost, Profile, Theme
from .services import registration_cancelled as cancelled


@receiver(registration_cancelled)
def free_meetings(sender, registration, **kwargs):
    cancelled(registration)


@receiver([post_save, post_delete], sender=Profile)
def profile_changed(sender, instance, **kwargs):
    Edition.networking_changed(registrations__pk=instance.registration_id)


@receiver([post_save, post_delete], sender=CooperationPost)
def post_changed(sender, instance, **kwargs):
    Edition.networking_changed(registrations__profile__pk=instance.profile_id)


@receiver(m2m_changed, sender=Profile.themes.through)
@receiver(m2m_changed, sender=CooperationPost.themes.through)
def themes_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:
        # A theme's people or posts changed from the theme's side (the admin): rare, so every
        # edition, rather than working out whose.
        Edition.networking_changed()
    elif isinstance(instance, Profile):
        profile_changed(Profile, instance)
    else:
        post_changed(CooperationPost, instance)


# What of a registration the recommendations read: whether and how its profile counts.
REGISTRATION_FIELDS = {"status", "directory_opt_in", "organisation"}


@receiver(post_save, sender=Registration)
def registration_changed(sender, instance, created, update_fields, **kwargs):
    # A new registration, or one without a profile, is in nobody's recommendations yet.
    if created or (update_fields is not None and not REGISTRATION_FIELDS & set(update_fields)):
        return
    Edition.networking_changed(
        pk=instance.edition_id, registrations__pk=instance.pk, registrations__profile__isnull=False
    )


# What of an organisation the recommendations read (its identifier, saved alone when it is
# found again at a registration, bumps nothing: no edition row written in that transaction).
ORGANISATION_FIELDS = {"name", "kind", "country"}


@receiver(post_save, sender=Organisation)
def organisation_changed(sender, instance, created, update_fields, **kwargs):
    # Its country is where its people come from.
    if update_fields is not None and not ORGANISATION_FIELDS & set(update_fields):
        return
    if not created:
        Edition.networking_changed(
            registrations__organisation=instance, registrations__profile__isnull=False
        )


@receiver(post_delete, sender=Theme)
def theme_deleted(sender, instance, **kwargs):
    # Cached recommendations hold theme ids; their names are read at each visit.
    Edition.networking_changed()
