"""Consent records follow the registration history.

Consents change in several apps (the registration form, the private page, the project
exchange, the door, the admin), and each change already writes a line of the registration's
history; recording the consent from that line keeps one path, whoever makes the change."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from rencontres.registration.models import RegistrationEvent

from .models import ConsentRecord
from .services.consents import record

Consent, Source = ConsentRecord.Consent, ConsentRecord.Source

CREATED_BY = {
    "submitted": Source.FORM,
    "registered_at_the_door": Source.DOOR,
    "added_by_organiser": Source.ORGANISER,
}
CHANGED_FIELDS = {"directory_opt_in": Consent.DIRECTORY, "photo_opt_in": Consent.PHOTOS}


@receiver(post_save, sender=RegistrationEvent, dispatch_uid="privacy_consents_from_history")
def record_consents(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    event, registration = instance, instance.registration
    if event.action in CREATED_BY:
        source = CREATED_BY[event.action]
        version = registration.privacy_notice_version.split(":")[-1]
        record(registration, Consent.PRIVACY_NOTICE, True, source, version=version, at=event.at)
        if registration.directory_opt_in:
            record(registration, Consent.DIRECTORY, True, source, version=version, at=event.at)
        if registration.photo_opt_in:
            record(registration, Consent.PHOTOS, True, source, version=version, at=event.at)
    elif event.action == "details_changed":
        source = Source.ORGANISER if event.actor_id else Source.PRIVATE_PAGE
        for field, (_before, after) in (event.details.get("changes") or {}).items():
            if field in CHANGED_FIELDS:
                record(registration, CHANGED_FIELDS[field], after == "True", source, at=event.at)
    elif event.action in ("directory_opt_in", "directory_opt_out"):
        given = event.action == "directory_opt_in"
        source = event.details.get("source", Source.PROJECT_EXCHANGE)
        record(registration, Consent.DIRECTORY, given, source, at=event.at)
    elif event.action in ("consent_given", "consent_withdrawn"):
        given = event.action == "consent_given"
        record(registration, event.details["consent"], given, event.details["source"], at=event.at)
