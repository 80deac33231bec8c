"""At the venue: badges (printed one by one or in batches), check-ins at the doors, and the
attendance certificates drawn from them."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rencontres.jobs import BackgroundJob
from rencontres.storage import private_storage


class BadgeBatch(BackgroundJob):
    """One PDF of many badges, built in the background: its total is the number of badges."""

    class Layout(models.TextChoices):
        A6 = "a6", _("A6, one badge per page")
        A4 = "a4", _("A4 sheets of four badges, with cut marks")

    edition = models.ForeignKey(
        "editions.Edition", on_delete=models.CASCADE, related_name="badge_batches"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    layout = models.CharField(_("layout"), max_length=2, choices=Layout.choices)
    filters = models.JSONField(default=dict, blank=True)
    # Names, organisations and the QR codes that open the door: private storage, served only
    # by the batch_file view to the edition's organisers.
    file = models.FileField(upload_to="badges/", storage=private_storage, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("badge batch")
        verbose_name_plural = _("badge batches")

    def __str__(self):
        return f"{self.edition} – {self.created_at:%Y-%m-%d %H:%M}"


class BadgePrinting(models.Model):
    """A badge went to the printer (one line per time): "not yet printed" filters on it."""

    registration = models.ForeignKey(
        "registration.Registration", on_delete=models.CASCADE, related_name="badge_printings"
    )
    batch = models.ForeignKey(BadgeBatch, on_delete=models.SET_NULL, null=True, blank=True)
    printed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.registration} {self.printed_at:%Y-%m-%d %H:%M}"


class CheckIn(models.Model):
    """A person came in: one per registration and day (and per session for session entry)."""

    registration = models.ForeignKey(
        "registration.Registration", on_delete=models.CASCADE, related_name="check_ins"
    )
    session = models.ForeignKey(
        "editions.Session",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="check_ins",
    )
    day = models.DateField()
    at = models.DateTimeField(default=timezone.now)
    door = models.CharField(_("door"), max_length=60, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    device = models.CharField(max_length=60, blank=True)
    offline = models.BooleanField(
        default=False, help_text=_("Scanned without network, sent later.")
    )
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-at"]
        constraints = [
            # Two doors scanning the same badge at once record one check-in, whatever the code.
            models.UniqueConstraint(
                fields=["registration", "day"],
                condition=Q(session=None),
                name="one_check_in_per_day",
            ),
            models.UniqueConstraint(
                fields=["registration", "day", "session"],
                condition=Q(session__isnull=False),
                name="one_session_entry_per_day",
            ),
        ]
        indexes = [models.Index(fields=["day", "at"])]

    def __str__(self):
        return f"{self.registration} {self.at:%Y-%m-%d %H:%M} {self.door}"


class ExtraCheckInDay(models.Model):
    """A day outside the edition's days on which an organiser accepts check-ins (badges
    handed out the evening before, a rehearsal): switched on at the desk, for that day only,
    shown on every desk, and written in the audit log."""

    edition = models.ForeignKey(
        "editions.Edition", on_delete=models.CASCADE, related_name="extra_check_in_days"
    )
    day = models.DateField(_("day"))
    switched_on_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    switched_on_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("extra check-in day")
        verbose_name_plural = _("extra check-in days")
        constraints = [
            models.UniqueConstraint(fields=["edition", "day"], name="one_extra_check_in_day")
        ]

    def __str__(self):
        return f"{self.edition} {self.day}"

    @property
    def switched_on_by_name(self):
        user = self.switched_on_by
        return (user.get_full_name() or user.username) if user else _("an organiser")


def new_certificate_reference():
    # 144 random bits, in letters and digits a person can type from the paper (URL-safe).
    return secrets.token_urlsafe(18)


class Certificate(models.Model):
    """An attendance certificate (attestation de présence) as issued: the days and sessions it
    states, frozen when it was issued, and the random reference its verification page opens
    by. Re-issuing replaces it (the old reference then says so); the PDF is drawn when asked
    for, from these rows, so that no file with a name on it is kept for one person."""

    registration = models.ForeignKey(
        "registration.Registration", on_delete=models.CASCADE, related_name="certificates"
    )
    reference = models.CharField(max_length=40, unique=True, default=new_certificate_reference)
    days = models.JSONField(default=list)  # ISO dates, sorted
    sessions = models.ManyToManyField("editions.Session", blank=True, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    replaced_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("attendance certificate")
        verbose_name_plural = _("attendance certificates")
        constraints = [
            # One current certificate per person: a double click issues one.
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(replaced_at=None),
                name="one_current_certificate",
            )
        ]

    def __str__(self):
        return f"{self.registration} {self.issued_at:%Y-%m-%d}"

    @property
    def day_dates(self):
        return [datetime.date.fromisoformat(day) for day in self.days]


class CertificateBatch(BackgroundJob):
    """All the attendance certificates of an edition in one PDF, built in the background: its
    total is the number of present people."""

    edition = models.ForeignKey(
        "editions.Edition", on_delete=models.CASCADE, related_name="certificate_batches"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    # Names and organisations: private storage, served only to the edition's organisers.
    file = models.FileField(upload_to="certificates/", storage=private_storage, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("certificate batch")
        verbose_name_plural = _("certificate batches")

    def __str__(self):
        return f"{self.edition} – {self.created_at:%Y-%m-%d %H:%M}"
