"""The back-office's own tables: mailings to segments and invitation lists between preview and
import. (Team roles and the audit log are the project's: rencontres/models.py.)"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rencontres.jobs import BackgroundJob
from rencontres.registration.models import Registration


class Mailing(BackgroundJob):
    """An e-mail to a segment of registrations, in French and English, sent through the
    outbox (each message lands in the person's history). Its total is the number of
    recipients, done the number of messages put in the outbox."""

    # A job's states, in a mailing's words.
    status = models.CharField(
        max_length=10,
        choices=[
            (BackgroundJob.Status.QUEUED, _("Queued")),
            (BackgroundJob.Status.RUNNING, _("Sending")),
            (BackgroundJob.Status.DONE, _("Sent")),
            (BackgroundJob.Status.FAILED, _("Failed")),
        ],
        default=BackgroundJob.Status.QUEUED,
    )

    edition = models.ForeignKey(
        "editions.Edition", on_delete=models.CASCADE, related_name="mailings"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    filters = models.JSONField(default=dict, blank=True)
    # {status: people} as the organiser confirmed it, next to the number finally queued.
    counts = models.JSONField(default=dict, blank=True)
    subject_fr = models.CharField(_("subject (French)"), max_length=200)
    subject_en = models.CharField(_("subject (English)"), max_length=200)
    body_fr = models.TextField(_("message (French)"), max_length=20000)
    body_en = models.TextField(_("message (English)"), max_length=20000)
    nonce = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject_fr

    def counts_by_status(self):
        """[(status label, people)] as confirmed before sending."""
        labels = dict(Registration.Status.choices)
        # In the order they were ticked (a list keeps it; PostgreSQL's jsonb sorts the keys).
        order = [s for s in self.filters.get("statuses", []) if s in self.counts]
        order += [s for s in self.counts if s not in order]
        return [(labels.get(status, status), self.counts[status]) for status in order]


class InvitationImport(models.Model):
    """An uploaded invitation list between its preview and its import: the rows as read and
    checked, kept in the database (any app server may handle the confirmation)."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Preview")
        IMPORTED = "imported", _("Imported")

    edition = models.ForeignKey(
        "editions.Edition", on_delete=models.CASCADE, related_name="invitation_imports"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=200)
    rows = models.JSONField(default=list)  # the valid rows, ready to import
    problems = models.JSONField(default=list)  # [{row, column, message}]
    skipped = models.JSONField(default=list)  # [{row, email, reason}]
    ignored_columns = models.JSONField(default=list)
    send_emails = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    imported_at = models.DateTimeField(null=True, blank=True)
    imported = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.filename
