"""Who may do what for an edition (roles), and the audit log of what they did."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rencontres.jobs import BackgroundJob


class Membership(models.Model):
    """A person of the organising team and their role for one edition."""

    class Role(models.TextChoices):
        ORGANISER = "organiser", _("Organiser (everything)")
        STAFF = "staff", _("Staff (registrations, no personal data exports)")
        CHECK_IN = "check_in", _("Check-in agent (check-in pages only)")
        VIEWER = "viewer", _("Viewer (dashboards only)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    edition = models.ForeignKey(
        "editions.Edition",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("edition"),
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(fields=["user", "edition"], name="one_role_per_edition")
        ]

    def __str__(self):
        return f"{self.user} – {self.edition} ({self.get_role_display()})"


class AuditEntry(models.Model):
    """Who changed, exported or e-mailed what, and when. Ids only: no personal data here."""

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, verbose_name=_("user")
    )
    edition = models.ForeignKey(
        "editions.Edition",
        on_delete=models.CASCADE,
        null=True,
        related_name="audit_entries",
        verbose_name=_("edition"),
    )
    action = models.CharField(_("action"), max_length=60)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action}"

    @property
    def label(self):
        labels = {
            "bulk_approve": _("Approved registrations"),
            "bulk_reject": _("Rejected registrations"),
            "bulk_confirm": _("Gave places from the waiting list"),
            "bulk_cancel": _("Cancelled registrations"),
            "bulk_resend": _("Sent their links again"),
            "export_csv": _("Exported a list (CSV)"),
            "export_xlsx": _("Exported a list (Excel)"),
            "mailing": _("E-mailed a list"),
            "invitations_imported": _("Imported an invitation list"),
            "invitations_sent": _("Sent invitations"),
            "check_in_day_opened": _("Accepted check-ins outside the edition's days"),
            "check_in_day_closed": _("Stopped accepting check-ins outside the edition's days"),
            "admin_added": _("Added in the admin"),
            "admin_changed": _("Changed in the admin"),
            "admin_deleted": _("Deleted in the admin"),
            "admin_action": _("Action in the admin"),
        }
        return labels.get(self.action, self.action)

    @property
    def details_text(self):
        return "; ".join(
            f"{key}: {', '.join(map(str, value)) if isinstance(value, list) else value}"
            for key, value in self.details.items()
        )


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
        from rencontres.registration.models import Registration

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
