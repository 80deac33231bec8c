"""Site-wide tables: rate-limit counters shared by every app server, workers' heartbeats, the
team's roles per edition and the audit log of what they did (every app checks the first and
writes the second)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Throttle(models.Model):
    """How many times a key (an action and an IP address or e-mail) was used in its window."""

    key = models.CharField(max_length=200, primary_key=True)
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.key}: {self.hits}"


class WorkerHeartbeat(models.Model):
    """A background worker's sign of life, written every few seconds by rencontres/worker.py
    and read by /healthz. Nothing personal: an id made up at start and two times."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.worker_id}: {self.seen_at:%Y-%m-%d %H:%M:%S}"


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
        # The table keeps the name it had in the back-office app (see migration 0003).
        db_table = "backoffice_membership"
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
        db_table = "backoffice_auditentry"
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
            "registration_added": _("Added a registration by hand"),
            "registration_details": _("Changed a registration's details"),
            "registration_sessions": _("Changed a registration's sessions"),
            "registration_approve": _("Approved a registration"),
            "registration_confirm": _("Gave a place from the waiting list"),
            "registration_reject": _("Rejected a registration"),
            "registration_resend": _("Sent a link again"),
            "registration_replace_link": _("Replaced a private link"),
            "registration_cancel": _("Cancelled a registration"),
            "email_resent": _("Sent a failed e-mail again"),
            "personal_data_export": _("Exported a person's data"),
            "erasure_requested": _("Recorded a request to erase someone's data"),
            "erasure_confirmed": _("Erased someone's data"),
            "erasure_refused": _("Refused to erase someone's data"),
            "export_csv": _("Exported a list (CSV)"),
            "export_xlsx": _("Exported a list (Excel)"),
            "session_capacity": _("Changed a session's capacity"),
            "session_promote": _("Gave a place from a session's waiting list"),
            "session_move": _("Moved someone to another session"),
            "session_remove": _("Took someone out of a session"),
            "session_list_pdf": _("Exported a session's list (PDF)"),
            "session_list_xlsx": _("Exported a session's list (Excel)"),
            "mailing": _("E-mailed a list"),
            "invitations_imported": _("Imported an invitation list"),
            "invitations_sent": _("Sent invitations"),
            "returning_invited": _("Invited the past participants"),
            "api_token_created": _("Created an API token"),
            "api_token_revoked": _("Revoked an API token"),
            "api_registration_added": _("Added a registration through the API"),
            "api_check_in": _("Checked someone in through the API"),
            "check_in_day_opened": _("Accepted check-ins outside the edition's days"),
            "check_in_day_closed": _("Stopped accepting check-ins outside the edition's days"),
            "invoice_issued": _("Issued an invoice"),
            "invoice_replaced": _("Replaced an invoice (credit note and new invoice)"),
            "credit_note_issued": _("Issued a credit note"),
            "invoice_run_started": _("Started a batch of invoices"),
            "payment_recorded": _("Recorded a payment"),
            "payment_cancelled": _("Cancelled a payment"),
            "statement_imported": _("Imported a bank statement"),
            "statement_payments_recorded": _("Recorded payments from a bank statement"),
            "reminder_schedule_changed": _("Changed when payment reminders go out"),
            "follow_up_date_changed": _("Moved the date the meetings are followed up"),
            "outcomes_exported": _("Exported the meetings' outcomes"),
            "webhook_created": _("Subscribed an address to webhooks"),
            "webhook_secret_rotated": _("Rotated a webhook secret"),
            "webhook_disabled": _("Disabled a webhook subscription"),
            "webhook_enabled": _("Enabled a webhook subscription"),
            "webhook_replayed": _("Sent a webhook again"),
            "survey_created": _("Created a survey"),
            "survey_changed": _("Changed a survey"),
            "survey_exported": _("Exported a survey's answers"),
            "invoice_downloaded": _("Downloaded an invoice"),
            "credit_note_downloaded": _("Downloaded a credit note"),
            "invoices_deposited": _("Deposited invoices for Chorus Pro"),
            "invoice_journal_csv": _("Exported the invoice journal (CSV)"),
            "invoice_journal_xlsx": _("Exported the invoice journal (Excel)"),
            "fee_added": _("Added a fee to the grid"),
            "fee_changed": _("Changed a fee of the grid"),
            "fee_deleted": _("Deleted a fee of the grid"),
            "extra_added": _("Added an extra"),
            "extra_changed": _("Changed an extra"),
            "extra_deleted": _("Deleted an extra"),
            "member_added": _("Added an organisation to the member list"),
            "member_removed": _("Removed an organisation from the member list"),
            "members_imported": _("Imported the member list"),
            "members_ticked": _("Ticked registered organisations as members"),
            "fee_adjustment_granted": _("Granted an exemption or a discount"),
            "fee_adjustment_withdrawn": _("Withdrew an exemption or a discount"),
            "registration_replaced": _("Replaced a delegation member by someone else"),
            "check_in_added": _("Added a check-in by hand"),
            "certificate_batch_started": _("Started building the certificates of attendance"),
            "certificates_emailed": _("E-mailed the certificates of attendance"),
            "certificate_reissued": _("Re-issued a certificate of attendance"),
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
            if key != "nonce"  # a form's one-time value (audit.done_with), nothing to read
        )
