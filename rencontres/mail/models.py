"""An outgoing e-mail, rendered when queued, kept with its delivery state."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed for good")

    recipient = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=8)
    template = models.CharField(_("template"), max_length=100)
    context = models.JSONField(_("context"), default=dict, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    # [{"filename": ..., "content": ..., "mimetype": ...}], text attachments only (e.g. .ics).
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    registration = models.ForeignKey(
        "registration.Registration",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("registration"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The last attempt could not reach the mail server (rather than the server refusing this
    # message): the next message the server takes sends this one at once (mail.services).
    waits_for_server = models.BooleanField(default=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.template} → {self.recipient}"

    @property
    def message_id(self):
        """The same Message-ID on every attempt: a copy sent again (see mail.services) is
        recognisable as the same message, by mail programs and by whoever counts."""
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "localhost"
        return f"<outbox.{self.pk}.{self.created_at:%Y%m%d%H%M%S%f}@{domain}>"
