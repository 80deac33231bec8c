"""Consent records (each given or withdrawn consent, with its wording's version and time) and
erasure requests (asked by a person or received by post, confirmed by an organiser)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConsentRecord(models.Model):
    """One line of a person's consent history: the current state is the latest line."""

    class Consent(models.TextChoices):
        PRIVACY_NOTICE = "privacy_notice", _("Privacy notice read")
        DIRECTORY = "directory", _("Participant directory")
        PHOTOS = "photos", _("Photos and videos")
        NEXT_EDITIONS = "next_editions", _("Invitations to the next editions")

    class Source(models.TextChoices):
        FORM = "form", _("Registration form")
        DOOR = "door", _("Registration at the door")
        PRIVATE_PAGE = "private_page", _("Private page")
        PROJECT_EXCHANGE = "project_exchange", _("Project exchange")
        ORGANISER = "organiser", _("Organiser")
        ERASURE = "erasure", _("Erasure")

    registration = models.ForeignKey(
        "registration.Registration",
        on_delete=models.CASCADE,
        related_name="consent_records",
        verbose_name=_("registration"),
    )
    consent = models.CharField(_("consent"), max_length=20, choices=Consent.choices)
    given = models.BooleanField(_("given"))
    wording_version = models.CharField(_("wording version"), max_length=40)
    source = models.CharField(_("where"), max_length=20, choices=Source.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["registration", "consent", "at"])]

    def __str__(self):
        state = _("given") if self.given else _("withdrawn")
        return f"{self.get_consent_display()} – {state} ({self.wording_version})"


class ErasureRequest(models.Model):
    """A person asks that their personal data be erased; an organiser confirms it (or
    refuses, e.g. a request that did not come from the person), and the audit log keeps who."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an organiser")
        DONE = "done", _("Erased")
        REFUSED = "refused", _("Refused")

    class Channel(models.TextChoices):
        PRIVATE_PAGE = "private_page", _("Private page")
        POST = "post", _("Letter")
        EMAIL = "email", _("E-mail")

    registration = models.ForeignKey(
        "registration.Registration",
        on_delete=models.CASCADE,
        related_name="erasure_requests",
        verbose_name=_("registration"),
    )
    channel = models.CharField(_("received by"), max_length=20, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # A double click or two tabs make one pending request, not two.
            models.UniqueConstraint(
                fields=["registration"],
                condition=models.Q(status="pending"),
                name="one_pending_erasure_request",
            )
        ]

    def __str__(self):
        return f"{self.registration_id} {self.get_status_display()}"


class ErasedId(models.Model):
    """The public id a registration had before it was erased (the erasure gives it a new
    one): a partner's system that synchronised it (the API) learns which record to erase on
    its side. It identifies nobody once the rest is gone."""

    edition = models.ForeignKey("editions.Edition", on_delete=models.CASCADE, related_name="+")
    public_id = models.UUIDField(unique=True)
    erased_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["erased_at", "pk"]

    def __str__(self):
        return str(self.public_id)
