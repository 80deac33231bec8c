"""Profiles and cooperation posts: what a registrant shows in the directory."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rencontres.privacy.models import ConsentRecord
from rencontres.registration.services import set_consent

from ..models import CooperationPost, Profile
from .common import NetworkingError

# The profile's own columns (its themes, many to many, are set apart).
PROFILE_FIELDS = [name for name in Profile.EDITABLE_FIELDS if name != "themes"]


def check_can_network(registration):
    if registration.status != "confirmed":
        raise NetworkingError(_("The project exchange is open to confirmed participants only."))


def save_profile(registration, data, now=None):
    """Create or update the registrant's profile from `data` (the form's cleaned data).
    Joining the directory is the opt-in of the registration form: turning it on here records
    the consent's time, turning it off hides the profile at once."""
    check_can_network(registration)
    now = now or timezone.now()
    with transaction.atomic():
        profile, _created = Profile.objects.get_or_create(registration=registration)
        for field in PROFILE_FIELDS:
            if field in data:
                setattr(profile, field, data[field])
        if "languages" in data:
            profile.language_codes = list(data["languages"])
        profile.save()
        if "themes" in data:
            profile.themes.set(data["themes"])
        listed = data.get("directory_opt_in", registration.directory_opt_in)
        if listed != registration.directory_opt_in:
            Consent, Source = ConsentRecord.Consent, ConsentRecord.Source
            set_consent(registration, Consent.DIRECTORY, listed, Source.PROJECT_EXCHANGE, now=now)
    return profile


def carry_over_profile(profile, registration):
    """A copy of a past edition's `profile` for the same person's new `registration` (the
    registration form's ProfileCarryOverPart): its text, themes, languages, countries and what
    it shows; not its posts (what one offers or seeks is said again each year) nor the
    directory's consent (the new registration's own)."""
    copy = Profile(registration=registration, languages=profile.languages)
    for field in PROFILE_FIELDS:
        setattr(copy, field, getattr(profile, field))
    copy.save()
    copy.themes.set(profile.themes.all())
    return copy


def save_post(profile, data, post=None):
    check_can_network(profile.registration)
    with transaction.atomic():
        post = post or CooperationPost(profile=profile)
        for field in ("kind", "title", "text", "countries"):
            setattr(post, field, data[field])
        post.save()
        post.themes.set(data["themes"])
    return post


def delete_post(post):
    post.delete()
